import { suggestName } from '../../suggest.js';
import { type FlagResult, invalidValue, parsed } from '../errors.js';
import { parseGoBool, parseGoUint32 } from '../go-values.js';
import { CsvSyntaxError, readCsvRecord } from './csv.js';
import { CACHE_SHARING_MODES, MOUNT_OPTIONS, MOUNT_TYPES } from './options.js';
import { parseSize } from './size.js';
import type { CacheSharing, Mount, MountType } from './types.js';
import { validateMount } from './validate-mount.js';

/** A mount being read, before the defaults that depend on its type apply. @internal */
export type MountDraft = { -readonly [Key in keyof Mount]: Mount[Key] };

/** A rejected option: why, and optionally the closest valid name. @internal */
export interface OptionProblem {
  readonly reason: string;
  readonly suggestion?: string | undefined;
  readonly unknownOption?: boolean;
}

const EXAMPLE = '--mount=type=cache,target=/root/.cache';
/** A `$` followed by anything: the value may refer to a variable, as BuildKit checks. */
const VARIABLE = /\$[\s\S]/;
const EXPECTED = 'comma-separated key=value options, such as type=cache,target=/path';

/**
 * Parses one `RUN --mount` value with BuildKit's rules: the options are CSV fields,
 * keys are case-insensitive, options are read in order (so `type=` must come before
 * `required` or `size`), and the type decides the read-only default. A value that refers
 * to a variable is `deferred`, except in `from=`, which Docker never expands.
 *
 * @example
 * ```ts
 * parseMount('type=secret,id=npmrc,target=/root/.npmrc');
 * // { status: 'parsed', value: { type: 'secret', id: 'npmrc', target: '/root/.npmrc', readOnly: true, required: false } }
 * ```
 */
export function parseMount(text: string): FlagResult<Mount> {
  let fields: string[];
  try {
    fields = readCsvRecord(text);
  } catch (error) {
    const reason = error instanceof CsvSyntaxError ? error.message : String(error);
    return invalidMount(text, { reason }, error);
  }
  const draft: MountDraft = { type: 'bind', readOnly: false, required: false };
  let readOnlyGiven = false;
  let deferred = false;
  for (const field of fields) {
    const outcome = applyField(draft, field);
    if (outcome === 'deferred') {
      deferred = true;
    } else if (outcome !== undefined && typeof outcome === 'object') {
      return invalidMount(text, outcome);
    } else if (outcome === 'read-only-given') {
      readOnlyGiven = true;
    }
  }
  if (deferred) {
    return { status: 'deferred', text };
  }
  const problem = validateMount(draft, readOnlyGiven);
  return problem === undefined ? parsed(draft as Mount) : invalidMount(text, problem);
}

type FieldOutcome = OptionProblem | 'deferred' | 'read-only-given' | undefined;

function applyField(draft: MountDraft, field: string): FieldOutcome {
  const equals = field.indexOf('=');
  const key = (equals === -1 ? field : field.slice(0, equals)).toLowerCase();
  if (equals === -1) {
    return applyBareOption(draft, key, field);
  }
  const value = field.slice(equals + 1);
  if (!VARIABLE.test(value)) {
    return applyOption(draft, key, value, field);
  }
  if (key === 'from') {
    return { reason: '"from" does not expand variables; name the stage with FROM ... AS instead' };
  }
  return OPTION_SETTERS[key] === undefined ? unknownOption(key, field) : 'deferred';
}

function applyBareOption(draft: MountDraft, key: string, field: string): FieldOutcome {
  if (key === 'readonly' || key === 'ro' || key === 'readwrite' || key === 'rw') {
    draft.readOnly = key === 'readonly' || key === 'ro';
    return 'read-only-given';
  }
  if (key === 'required') {
    return applyOption(draft, key, 'true', field);
  }
  return { reason: `the option ${JSON.stringify(field)} needs a value, as in key=value` };
}

const OPTION_SETTERS: Readonly<
  Record<string, (draft: MountDraft, value: string, key: string) => FieldOutcome>
> = {
  type: setType,
  from: assign('from'),
  source: assign('source'),
  src: assign('source'),
  target: assign('target'),
  dst: assign('target'),
  destination: assign('target'),
  id: assign('id'),
  env: assign('env'),
  readonly: (draft, value, key) => setReadOnly(draft, value, key, false),
  ro: (draft, value, key) => setReadOnly(draft, value, key, false),
  readwrite: (draft, value, key) => setReadOnly(draft, value, key, true),
  rw: (draft, value, key) => setReadOnly(draft, value, key, true),
  required: setRequired,
  size: setSize,
  sharing: setSharing,
  mode: (draft, value) => setNumber(draft, 'mode', value, 8),
  uid: (draft, value) => setNumber(draft, 'uid', value, 10),
  gid: (draft, value) => setNumber(draft, 'gid', value, 10),
};

function assign(key: 'from' | 'source' | 'target' | 'id' | 'env') {
  return (draft: MountDraft, value: string): FieldOutcome => {
    draft[key] = value;
    return undefined;
  };
}

function applyOption(draft: MountDraft, key: string, value: string, field: string): FieldOutcome {
  const setter = OPTION_SETTERS[key];
  return setter === undefined ? unknownOption(key, field) : setter(draft, value, key);
}

function unknownOption(key: string, field: string): OptionProblem {
  return {
    reason: `unknown option ${JSON.stringify(key)} in ${JSON.stringify(field)}`,
    suggestion: suggestName(key, MOUNT_OPTIONS),
    unknownOption: true,
  };
}

function setType(draft: MountDraft, value: string): FieldOutcome {
  const type = value.toLowerCase();
  if (!(MOUNT_TYPES as readonly string[]).includes(type)) {
    return {
      reason: `unsupported mount type ${JSON.stringify(value)}; use ${MOUNT_TYPES.join(', ')}`,
      suggestion: suggestName(value, MOUNT_TYPES),
    };
  }
  draft.type = type as MountType;
  return undefined;
}

function setReadOnly(
  draft: MountDraft,
  value: string,
  key: string,
  inverted: boolean,
): FieldOutcome {
  const flag = parseGoBool(value);
  if (flag === undefined) {
    return { reason: `${key}=${value} is not a boolean; use true or false` };
  }
  draft.readOnly = inverted ? !flag : flag;
  return 'read-only-given';
}

function setRequired(draft: MountDraft, value: string, key: string): FieldOutcome {
  if (draft.type !== 'secret' && draft.type !== 'ssh') {
    return {
      reason: `"${key}" applies only to secret and ssh mounts, not ${draft.type}; put type= first`,
    };
  }
  const flag = parseGoBool(value);
  if (flag === undefined) {
    return { reason: `${key}=${value} is not a boolean; use true or false` };
  }
  draft.required = flag;
  return undefined;
}

function setSize(draft: MountDraft, value: string): FieldOutcome {
  if (draft.type !== 'tmpfs') {
    return { reason: `"size" applies only to tmpfs mounts, not ${draft.type}; put type= first` };
  }
  const size = parseSize(value);
  if (size === undefined) {
    return { reason: `size=${value} is not a size; use bytes or a unit such as 64m or 1g` };
  }
  draft.size = size;
  return undefined;
}

function setSharing(draft: MountDraft, value: string): FieldOutcome {
  const sharing = value.toLowerCase();
  if (!(CACHE_SHARING_MODES as readonly string[]).includes(sharing)) {
    return {
      reason: `unsupported sharing ${JSON.stringify(value)}; use ${CACHE_SHARING_MODES.join(', ')}`,
      suggestion: suggestName(value, CACHE_SHARING_MODES),
    };
  }
  draft.sharing = sharing as CacheSharing;
  return undefined;
}

function setNumber(
  draft: MountDraft,
  key: 'mode' | 'uid' | 'gid',
  value: string,
  base: 8 | 10,
): FieldOutcome {
  const number = parseGoUint32(value, base);
  if (number === undefined) {
    const form = base === 8 ? 'an octal number such as 0755' : 'a whole number such as 1000';
    return { reason: `${key}=${value} is not ${form}` };
  }
  draft[key] = number;
  return undefined;
}

function invalidMount(text: string, problem: OptionProblem, cause?: unknown): FlagResult<Mount> {
  return invalidValue({
    flag: 'mount',
    value: text,
    reason: problem.reason,
    expected: EXPECTED,
    example: EXAMPLE,
    suggestion: problem.suggestion,
    code: problem.unknownOption === true ? 'unknown-option' : 'invalid-option',
    cause,
  });
}
