/** The flags of a COPY or ADD, typed after variable expansion, and their cache-key form. */
import {
  type Checksum,
  type CopyInstruction,
  type FileMode,
  type FlagValues,
  type InstructionFlag,
  parseFlagValue,
} from '@gantry/dockerfile';
import { type ModeChange, modeChangeOf } from '../context/file-mode.js';
import type { CopyAttributes } from '../context/pack-sources.js';
import { BuildError } from '../errors.js';
import type { BuildSession } from '../session.js';
import { expandInState, type StageState } from '../stage-state.js';
import { type OwnerSpec, resolveOwner } from './resolve-owner.js';

/** The flags of a COPY or ADD that change what it writes. */
export interface CopyFlags {
  /** `--chown`, resolved to ids in the step's container. */
  readonly owner: OwnerSpec | undefined;
  /** `--chmod`, octal or symbolic, applied to each entry's mode. */
  readonly mode: ModeChange | undefined;
  /** `--exclude` patterns, expanded. */
  readonly exclude: readonly string[];
  /** `--parents`. */
  readonly parents: boolean;
  /** `--checksum` of an ADD from a URL. */
  readonly checksum: Checksum | undefined;
}

/** Types the flags of a COPY or ADD, expanding those that refer to variables. */
export function copyFlags(instruction: CopyInstruction, state: StageState): CopyFlags {
  const mode = typedFlag(state, instruction.chmod, 'chmod') as FileMode | undefined;
  return {
    owner: typedFlag(state, instruction.chown, 'chown') as OwnerSpec | undefined,
    mode: mode === undefined ? undefined : modeChangeOf(mode),
    exclude: instruction.exclude.map((flag) => expandInState(state, flag.text ?? '')),
    parents: instruction.parents,
    checksum: typedFlag(state, instruction.checksum, 'checksum') as Checksum | undefined,
  };
}

/**
 * Returns a flag's typed value. A flag whose text refers to variables
 * (`--chmod=$MODE`) is typed after expansion with the stage's variables.
 */
function typedFlag(
  state: StageState,
  flag: InstructionFlag | undefined,
  name: keyof FlagValues,
): unknown {
  if (flag === undefined || flag.status !== 'deferred') return flag?.value;
  const text = expandInState(state, flag.text ?? '');
  const result = parseFlagValue(name, text);
  if (result.status === 'parsed') return result.value;
  const reason =
    result.status === 'invalid' ? result.error.message : 'it still refers to a variable';
  throw new BuildError('ERR_DOCKERFILE', `--${name}=${text} is invalid: ${reason}`);
}

/**
 * Returns the `--chown=VALUE` prefix of a COPY or ADD history line, with the
 * value expanded, or an empty string. The classic builder (Engine 20.10) writes it directly
 * before the source kind, with no space: `COPY --chown=7:7file:... in /x `.
 */
export function chownHistoryPrefix(instruction: CopyInstruction, state: StageState): string {
  const text = instruction.chown?.text;
  if (text === undefined) return '';
  return `--chown=${expandInState(state, text)}`;
}

/**
 * Returns the flags with their variables expanded, for the cache key, so
 * that `--chown=$OWNER` misses when the value of OWNER changes.
 */
export function flagInputs(
  instruction: CopyInstruction,
  flags: CopyFlags,
  state: StageState,
): Record<string, string | readonly string[]> {
  const inputs: Record<string, string | readonly string[]> = {};
  const add = (name: string, flag: InstructionFlag | undefined) => {
    if (flag?.text !== undefined) inputs[name] = expandInState(state, flag.text);
  };
  add('chown', instruction.chown);
  add('chmod', instruction.chmod);
  add('checksum', instruction.checksum);
  if (flags.exclude.length > 0) inputs.exclude = flags.exclude;
  if (flags.parents) inputs.parents = 'true';
  return inputs;
}

/** Resolves the COPY flags to the owner and mode of every entry, in the step's container. */
export async function copyAttributes(
  session: BuildSession,
  containerId: string,
  flags: CopyFlags,
): Promise<CopyAttributes> {
  const owner =
    flags.owner === undefined
      ? { uid: 0, gid: 0 }
      : await resolveOwner(session, containerId, flags.owner);
  return { ...owner, mode: flags.mode };
}
