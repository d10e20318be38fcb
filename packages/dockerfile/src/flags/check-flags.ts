import { FlagError } from './errors.js';
import { unknownFlag } from './flag-errors.js';
import { FLAG_SPECS, flagsOf } from './table.js';

/** One flag as written on an instruction, for {@link checkInstructionFlags}. */
export interface WrittenFlag {
  /** The name without `--`. */
  readonly name: string;
  /** The value after `=`, or `undefined` when there is no `=`. */
  readonly value: string | undefined;
}

/**
 * Checks every flag of one instruction together, as BuildKit does before parsing the
 * values: each must be known to the instruction, and only `--mount`, `--exclude` and
 * `--device` may be repeated. Returns one error per problem, in the order written.
 */
export function checkInstructionFlags(
  instruction: string,
  flags: readonly WrittenFlag[],
): FlagError[] {
  const accepted = flagsOf(instruction);
  const seen = new Set<string>();
  const errors: FlagError[] = [];
  for (const flag of flags) {
    if (!accepted.includes(flag.name)) {
      errors.push(unknownFlag(instruction, flag.name, flag.value, accepted));
      continue;
    }
    if (seen.has(flag.name) && FLAG_SPECS[flag.name]?.kind !== 'repeatable') {
      const message = `Duplicate flag --${flag.name} on ${instruction.toUpperCase()}: give it once.`;
      errors.push(new FlagError('duplicate-flag', message, { flag: flag.name, value: flag.value }));
    }
    seen.add(flag.name);
  }
  return errors;
}
