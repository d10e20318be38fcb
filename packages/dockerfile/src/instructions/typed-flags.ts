/**
 * Types the flags of one instruction through the flag parsers of `src/flags`
 * and reports unknown, repeated and invalid flags as diagnostics.
 */
import {
  FLAG_SPECS,
  type FlagValues,
  flagsOf,
  INSTRUCTION_FLAGS,
  parseFlag,
} from '../flags/index.js';
import { suggestName } from '../suggest.js';
import { createDiagnostic } from '../syntax/diagnostic.js';
import type { Diagnostic, FlagNode, InstructionNode, Range } from '../syntax/nodes.js';
import type { InstructionFlag, KnownFlag } from './types.js';

/**
 * Parses the value of a flag that an extension adds; returns the typed value
 * or throws an Error whose message states what is wrong.
 */
export type FlagValueParser = (value: string | undefined) => unknown;

/** Flags an extension adds to instructions, by instruction name and flag name. */
export type ExtraFlags = ReadonlyMap<string, ReadonlyMap<string, FlagValueParser>>;

/** True for a flag BuildKit accepts more than once (`--mount`, `--exclude`, `--device`). */
function isRepeatable(name: string): boolean {
  return FLAG_SPECS[name]?.kind === 'repeatable';
}

/** Types every flag of `instruction`, adding a diagnostic for each problem. */
export function typeFlags(
  instruction: InstructionNode,
  extra: ExtraFlags,
  diagnostics: Diagnostic[],
): InstructionFlag[] {
  // Most instructions have no flags: skip the tables and the set for them.
  if (instruction.flags.length === 0) return [];
  const known = INSTRUCTION_FLAGS[instruction.name] ?? [];
  const extension = extra.get(instruction.name);
  const seen = new Set<string>();
  return instruction.flags.map((flag) => {
    if (seen.has(flag.name) && !isRepeatable(flag.name)) {
      report(
        diagnostics,
        'duplicate-flag',
        `--${flag.name} is given twice on ${instruction.name}; keep one`,
        flag.range,
      );
    }
    seen.add(flag.name);
    const parser = extension?.get(flag.name);
    if (parser !== undefined) return typeExtensionFlag(flag, parser, diagnostics);
    if (!known.includes(flag.name))
      return unknownFlag(instruction, flag, [...known, ...(extension?.keys() ?? [])], diagnostics);
    return typeKnownFlag(instruction.name, flag, diagnostics);
  });
}

function typeKnownFlag(
  instruction: string,
  flag: FlagNode,
  diagnostics: Diagnostic[],
): InstructionFlag {
  const result = parseFlag(instruction, flag.name, flag.value);
  const base = { name: flag.name, text: flag.value, syntax: flag };
  if (result.status === 'parsed')
    return {
      name: base.name,
      text: base.text,
      syntax: base.syntax,
      status: 'parsed',
      value: result.value.value,
    };
  if (result.status === 'deferred')
    return {
      name: base.name,
      text: base.text,
      syntax: base.syntax,
      status: 'deferred',
      value: undefined,
    };
  report(diagnostics, 'invalid-flag', result.error.message, flag.range);
  return {
    name: base.name,
    text: base.text,
    syntax: base.syntax,
    status: 'invalid',
    value: result.error,
  };
}

function typeExtensionFlag(
  flag: FlagNode,
  parser: FlagValueParser,
  diagnostics: Diagnostic[],
): InstructionFlag {
  const base = { name: flag.name, text: flag.value, syntax: flag };
  try {
    return {
      name: base.name,
      text: base.text,
      syntax: base.syntax,
      status: 'parsed',
      value: parser(flag.value),
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    report(diagnostics, 'invalid-flag', `invalid value for --${flag.name}: ${reason}`, flag.range);
    return {
      name: base.name,
      text: base.text,
      syntax: base.syntax,
      status: 'invalid',
      value: error,
    };
  }
}

function unknownFlag(
  instruction: InstructionNode,
  flag: FlagNode,
  candidates: readonly string[],
  diagnostics: Diagnostic[],
): InstructionFlag {
  const suggestion = suggestName(flag.name, candidates);
  const hint = suggestion === undefined ? '' : ` (did you mean --${suggestion}?)`;
  const accepted =
    candidates.length === 0
      ? 'takes no flags'
      : `takes ${candidates.map((name) => `--${name}`).join(', ')}`;
  report(
    diagnostics,
    'unknown-flag',
    `unknown flag --${flag.name} on ${instruction.name}${hint}; ${instruction.name} ${accepted}`,
    flag.range,
  );
  return { name: flag.name, text: flag.value, status: 'unknown', value: undefined, syntax: flag };
}

/** Records an error with the one-based line and column in the message. */
export function report(
  diagnostics: Diagnostic[],
  rule: string,
  message: string,
  range: Range,
): void {
  diagnostics.push(createDiagnostic('error', rule, message, range));
}

/** Returns the first flag with a name. */
export function findFlag(
  flags: readonly InstructionFlag[],
  name: string,
): InstructionFlag | undefined {
  return flags.find((flag) => flag.name === name);
}

/** An instruction's upper-case name and its typed flags. */
interface FlagOwner {
  readonly name: string;
  readonly flags: readonly InstructionFlag[];
}

/**
 * Returns the flags called `name` that the built-in parser typed, so their values
 * have the type of {@link FlagValues}. A flag that an extension adds to an instruction
 * without it built in (`ADD --from`) is left out, because the extension's parser chose its type.
 * A flag the instruction does not take is kept, with status `unknown`.
 */
export function knownFlags<Name extends keyof FlagValues>(
  owner: FlagOwner,
  name: Name,
): KnownFlag<Name>[] {
  const builtIn = flagsOf(owner.name).includes(name);
  return owner.flags.filter(
    (flag): flag is KnownFlag<Name> => flag.name === name && (builtIn || flag.status === 'unknown'),
  );
}

/** Returns the first of {@link knownFlags}. */
export function findKnownFlag<Name extends keyof FlagValues>(
  owner: FlagOwner,
  name: Name,
): KnownFlag<Name> | undefined {
  return knownFlags(owner, name)[0];
}

/** True when a boolean flag is set (`--link`, `--link=true`). */
export function isSet(flags: readonly InstructionFlag[], name: string): boolean {
  const flag = findFlag(flags, name);
  if (flag === undefined) return false;
  return flag.status === 'parsed' ? flag.value !== false : flag.text !== 'false';
}
