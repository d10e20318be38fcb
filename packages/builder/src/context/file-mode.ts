/**
 * The mode `--chmod` gives each copied entry: an octal mode replaces the
 * entry's own, a symbolic mode (`u+x`, `go=r`, `a+rwX`) changes it as chmod(1)
 * does, entry by entry.
 */
import type { FileMode, SymbolicModeClause, SymbolicModeOperation } from '@gantry/dockerfile';

/** Returns the mode an entry gets from its own mode and whether it is a folder. */
export type ModeChange = (mode: number, directory: boolean) => number;

/** Permission and special bits of each class a symbolic clause names. */
const CLASS_BITS: Readonly<Record<string, number>> = {
  u: 0o4700,
  g: 0o2070,
  o: 0o1007,
};

const ALL_BITS = 0o7777;

/** Bit offsets of the `rwx` bits of each class in a mode. */
const CLASS_SHIFTS: Readonly<Record<string, number>> = { u: 6, g: 3, o: 0 };

/**
 * Returns the mode change of a parsed `--chmod` value.
 * NOTE: a clause without `u`, `g`, `o` or `a` changes every class and ignores
 * the umask, unlike chmod(1) in a shell. No BuildKit with symbolic modes was
 * at hand to confirm that it does the same.
 */
export function modeChangeOf(value: FileMode): ModeChange {
  if (value.kind === 'octal') return () => value.mode;
  return (mode, directory) => applySymbolicMode(value.clauses, mode, directory);
}

/**
 * Applies symbolic clauses to a mode, left to right. `X` adds execute only
 * to folders and to entries that had an execute bit before the change, as
 * GNU chmod reads it. A class letter as the permission (`g=u`) copies that
 * class's bits of the mode so far.
 */
export function applySymbolicMode(
  clauses: readonly SymbolicModeClause[],
  mode: number,
  directory: boolean,
): number {
  const original = mode;
  let current = mode & ALL_BITS;
  for (const clause of clauses) {
    const who = whoMask(clause.who);
    for (const operation of clause.operations) {
      const bits = permissionBits(operation, current, original, directory) & who;
      current = applyOperation(operation.operator, current, bits, who);
    }
  }
  return current;
}

function whoMask(who: string): number {
  if (who === '' || who.includes('a')) return ALL_BITS;
  let mask = 0;
  for (const letter of who) mask |= CLASS_BITS[letter] ?? 0;
  return mask;
}

function applyOperation(
  operator: SymbolicModeOperation['operator'],
  mode: number,
  bits: number,
  who: number,
): number {
  if (operator === '+') return mode | bits;
  if (operator === '-') return mode & ~bits;
  return (mode & ~who) | bits;
}

/** Returns the bits an operation names, in every class; the caller masks them to the clause's. */
function permissionBits(
  operation: SymbolicModeOperation,
  current: number,
  original: number,
  directory: boolean,
): number {
  const copied = copiedClass(operation.permissions, current);
  if (copied !== undefined) return copied;
  let bits = 0;
  for (const letter of operation.permissions) {
    if (letter === 'r') bits |= 0o444;
    else if (letter === 'w') bits |= 0o222;
    else if (letter === 'x') bits |= 0o111;
    else if (letter === 'X' && (directory || (original & 0o111) !== 0)) bits |= 0o111;
    else if (letter === 's') bits |= 0o6000;
    else if (letter === 't') bits |= 0o1000;
  }
  return bits;
}

/** Returns the `rwx` bits of class `u`, `g` or `o` of the mode, repeated in every class. */
function copiedClass(permissions: string, mode: number): number | undefined {
  const shift = CLASS_SHIFTS[permissions];
  if (shift === undefined) return undefined;
  const bits = (mode >> shift) & 0o7;
  return (bits << 6) | (bits << 3) | bits;
}

const SETUID = 0o4000;
const SETGID = 0o2000;
const GROUP_EXECUTE = 0o010;

/**
 * Returns the mode an entry keeps when the classic builder changes its owner
 * after setting its mode. It does so for every entry that a COPY or ADD
 * writes from the context, and for a COPY --from entry with `--chown`.
 * Linux's chown(2) clears setuid on anything but a folder. It clears setgid
 * only when the group execute bit is set too, because without that bit
 * setgid marks mandatory locking.
 */
export function modeAfterChown(mode: number, directory: boolean): number {
  if (directory) return mode;
  const cleared = (mode & GROUP_EXECUTE) === 0 ? SETUID : SETUID | SETGID;
  return mode & ~cleared;
}
