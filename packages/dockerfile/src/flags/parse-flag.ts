import { type FileMode, parseChmod } from './chmod.js';
import { FlagError, type FlagResult, invalid, parsed, quoteValue } from './errors.js';
import { missingValue, unknownFlag } from './flag-errors.js';
import { type HealthcheckDuration, parseHealthcheckDuration, parseRetries } from './healthcheck.js';
import { parseMount } from './mount/parse-mount.js';
import type { Mount } from './mount/types.js';
import { type Ownership, parseChown } from './ownership.js';
import { type Platform, parsePlatform } from './platform.js';
import { type NetworkMode, parseNetwork, parseSecurity, type SecurityMode } from './run-modes.js';
import { type Checksum, type CopySource, parseChecksum, parseFrom } from './sources.js';
import { FLAG_SPECS, flagsOf } from './table.js';

/**
 * The typed value of each known flag. `undefined` stands for an empty value (`--chown=`),
 * which Docker treats as if the flag were absent.
 */
export interface FlagValues {
  platform: Platform | undefined;
  from: CopySource | undefined;
  chown: Ownership | undefined;
  chmod: FileMode | undefined;
  link: boolean;
  parents: boolean;
  exclude: string;
  checksum: Checksum | undefined;
  'keep-git-dir': boolean;
  unpack: boolean;
  mount: Mount;
  network: NetworkMode;
  security: SecurityMode;
  device: string;
  interval: HealthcheckDuration;
  timeout: HealthcheckDuration;
  'start-period': HealthcheckDuration;
  'start-interval': HealthcheckDuration;
  retries: number;
}

/** A known flag's name with its typed value. */
export type TypedFlag = {
  [Name in keyof FlagValues]: { readonly name: Name; readonly value: FlagValues[Name] };
}[keyof FlagValues];

type ValueParser = (text: string) => FlagResult<unknown>;

const VALUE_PARSERS: Readonly<Record<keyof FlagValues, ValueParser | undefined>> = {
  platform: parsePlatform,
  from: parseFrom,
  chown: parseChown,
  chmod: parseChmod,
  link: undefined,
  parents: undefined,
  exclude: (text) => parsed(text),
  checksum: parseChecksum,
  'keep-git-dir': undefined,
  unpack: undefined,
  mount: parseMount,
  network: parseNetwork,
  security: parseSecurity,
  device: (text) => parsed(text),
  interval: (text) => parseHealthcheckDuration('interval', text),
  timeout: (text) => parseHealthcheckDuration('timeout', text),
  'start-period': (text) => parseHealthcheckDuration('start-period', text),
  'start-interval': (text) => parseHealthcheckDuration('start-interval', text),
  retries: parseRetries,
};

/** A `$` followed by anything: the value may refer to a variable, as BuildKit checks. */
const VARIABLE = /\$[\s\S]/;

/**
 * Parses one flag of an instruction into its typed value. The name is written without
 * `--`; the value is `undefined` when the flag has no `=`, and otherwise the text after
 * `=` with quotes removed. Returns `invalid` with an `unknown-flag` error (and the
 * closest valid flag) when the instruction does not take the flag, and `deferred` when
 * the value refers to a variable that Docker expands first.
 *
 * @example
 * ```ts
 * parseFlag('COPY', 'chown', '1000:app');
 * // { status: 'parsed', value: { name: 'chown', value: { user: { kind: 'id', id: 1000 }, ... } } }
 * parseFlag('COPY', 'form', 'build').status; // 'invalid', with suggestion 'from'
 * ```
 */
export function parseFlag(
  instruction: string,
  name: string,
  value: string | undefined,
): FlagResult<TypedFlag> {
  const accepted = flagsOf(instruction);
  if (!accepted.includes(name)) {
    return invalid(unknownFlag(instruction, name, value, accepted));
  }
  const result = parseFlagValue(name as keyof FlagValues, value);
  if (result.status !== 'parsed') {
    return result;
  }
  return parsed({ name, value: result.value } as TypedFlag);
}

/**
 * Parses the value of a known flag, whatever the instruction. Booleans follow BuildKit:
 * `--link` alone is true, `--link=true` and `--link=false` (any case) are accepted, and
 * `--link=` is missing its value. Every other flag needs `=`.
 */
export function parseFlagValue<Name extends keyof FlagValues>(
  name: Name,
  value: string | undefined,
): FlagResult<FlagValues[Name]> {
  const spec = FLAG_SPECS[name];
  if (spec?.kind === 'boolean') {
    return parseBooleanFlag(name, value) as FlagResult<FlagValues[Name]>;
  }
  if (value === undefined) {
    return invalid(missingValue(name));
  }
  // parseMount defers by option, because `from=` must be rejected even next to variables.
  if (spec?.expands === true && name !== 'mount' && VARIABLE.test(value)) {
    return { status: 'deferred', text: value };
  }
  const parser = VALUE_PARSERS[name] as ValueParser;
  return parser(value) as FlagResult<FlagValues[Name]>;
}

function parseBooleanFlag(name: string, value: string | undefined): FlagResult<boolean> {
  if (value === undefined) {
    return parsed(true);
  }
  if (value === '') {
    return invalid(missingValue(name));
  }
  const lower = value.toLowerCase();
  if (lower === 'true' || lower === 'false') {
    return parsed(lower === 'true');
  }
  const message = `Invalid value ${quoteValue(value)} for --${name}: expected true or false, as in --${name} or --${name}=false.`;
  return invalid(
    new FlagError('invalid-value', message, {
      flag: name,
      value,
      expected: 'true or false',
      example: `--${name}`,
    }),
  );
}
