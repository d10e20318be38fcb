/**
 * The image config each config-only instruction produces, and the history
 * comment the classic builder records for it (`#(nop)  CMD [...]`).
 */
import type { ImageConfig } from '@gantry/daemon';
import type {
  ArgInstruction,
  Command,
  CommandInstruction,
  HealthcheckInstruction,
  KeyValueInstruction,
  KnownFlag,
  ListInstruction,
  OnbuildInstruction,
  TypedInstruction,
  ValueInstruction,
} from '@gantry/dockerfile';
import { BuildError } from '../errors.js';
import { goDuration, goList, goQuote, goQuoteList, goQuoteRune } from '../go-format.js';
import { copyConfig, shellOf, withVariable } from '../image-config.js';
import { expandInState, expandListInState, type StageState } from '../stage-state.js';
import { exposedPorts } from './expose.js';
import { normalizeWorkdir } from './workdir.js';

/**
 * The outcome of a config-only instruction. `comment` goes into the commit
 * container's `Cmd` as `#(nop) ` plus the comment (two arguments), or as one
 * argument when `singleArgument` is set, as the classic builder writes WORKDIR.
 */
export interface ConfigChange {
  readonly config: ImageConfig;
  readonly comment: string;
  readonly singleArgument?: boolean;
  /** Folder the step creates in the container when it is missing (WORKDIR). */
  readonly createFolder?: string;
  /** New MAINTAINER of the stage. */
  readonly author?: string;
  /** Whether the step set `Cmd`. */
  readonly cmdSet?: boolean;
  /** A line the classic builder prints under the step line, such as a HEALTHCHECK override. */
  readonly note?: { readonly rule: string; readonly message: string };
}

type Apply = (instruction: TypedInstruction, state: StageState) => ConfigChange;

const CONFIG_INSTRUCTIONS: Readonly<Record<string, Apply>> = {
  ENV: (instruction, state) => applyEnv(instruction as KeyValueInstruction, state),
  LABEL: (instruction, state) => applyLabel(instruction as KeyValueInstruction, state),
  ARG: (instruction, state) => applyArg(instruction as ArgInstruction, state),
  CMD: (instruction, state) => applyCmd(instruction as CommandInstruction, state),
  ENTRYPOINT: (instruction, state) => applyEntrypoint(instruction as CommandInstruction, state),
  SHELL: (instruction, state) => applyShell(instruction as CommandInstruction, state),
  EXPOSE: (instruction, state) => applyExpose(instruction as ListInstruction, state),
  VOLUME: (instruction, state) => applyVolume(instruction as ListInstruction, state),
  USER: (instruction, state) => applyValue(instruction as ValueInstruction, state),
  STOPSIGNAL: (instruction, state) => applyValue(instruction as ValueInstruction, state),
  WORKDIR: (instruction, state) => applyWorkdir(instruction as ValueInstruction, state),
  MAINTAINER: (instruction, state) => applyMaintainer(instruction as ValueInstruction, state),
  ONBUILD: (instruction, state) => applyOnbuild(instruction as OnbuildInstruction, state),
  HEALTHCHECK: (instruction, state) =>
    applyHealthcheck(instruction as HealthcheckInstruction, state),
};

/** Returns whether an instruction only changes the image config. */
export function isConfigInstruction(instruction: TypedInstruction): boolean {
  return Object.hasOwn(CONFIG_INSTRUCTIONS, instruction.name);
}

/** Applies a config-only instruction to the stage's config; the state itself is not changed. */
export function applyConfigInstruction(
  instruction: TypedInstruction,
  state: StageState,
): ConfigChange {
  const apply = CONFIG_INSTRUCTIONS[instruction.name];
  if (apply === undefined) {
    throw new BuildError('ERR_UNSUPPORTED', `${instruction.name} is not a config instruction`);
  }
  return apply(instruction, state);
}

function applyEnv(instruction: KeyValueInstruction, state: StageState): ConfigChange {
  const config = copyConfig(state.config);
  let comment = 'ENV';
  for (const pair of instruction.pairs) {
    // Every pair expands with the variables from before the instruction, as on the classic builder.
    const key = expandInState(state, pair.key);
    const value = expandInState(state, pair.value);
    config.Env = withVariable(config.Env ?? [], key, value);
    comment += ` ${key}=${value}`;
  }
  return { config, comment };
}

function applyLabel(instruction: KeyValueInstruction, state: StageState): ConfigChange {
  const config = copyConfig(state.config);
  const labels: Record<string, string> = { ...(config.Labels ?? {}) };
  let comment = 'LABEL';
  for (const pair of instruction.pairs) {
    const key = expandInState(state, pair.key);
    const value = expandInState(state, pair.value);
    labels[key] = value;
    comment += ` ${key}=${value}`;
  }
  config.Labels = labels;
  return { config, comment };
}

function applyArg(instruction: ArgInstruction, state: StageState): ConfigChange {
  const parts: string[] = [];
  for (const arg of instruction.args) {
    const value =
      arg.defaultValue === undefined ? undefined : expandInState(state, arg.defaultValue);
    state.args.declare(arg.key, value);
    parts.push(value === undefined ? arg.key : `${arg.key}=${value}`);
  }
  return { config: copyConfig(state.config), comment: `ARG ${parts.join(' ')}` };
}

function commandArguments(command: Command, state: StageState): string[] {
  return command.form === 'exec'
    ? [...command.arguments]
    : [...shellOf(state.config), command.script];
}

function applyCmd(instruction: CommandInstruction, state: StageState): ConfigChange {
  const config = copyConfig(state.config);
  config.Cmd = commandArguments(instruction.command, state);
  return { config, comment: `CMD ${goQuoteList(config.Cmd)}`, cmdSet: true };
}

function applyEntrypoint(instruction: CommandInstruction, state: StageState): ConfigChange {
  const config = copyConfig(state.config);
  config.Entrypoint = commandArguments(instruction.command, state);
  // An ENTRYPOINT drops the CMD inherited from the base image, not one set in this stage.
  if (!state.cmdSet) config.Cmd = null;
  return { config, comment: `ENTRYPOINT ${goQuoteList(config.Entrypoint)}` };
}

function applyShell(instruction: CommandInstruction, state: StageState): ConfigChange {
  if (instruction.command.form !== 'exec') {
    throw new BuildError(
      'ERR_DOCKERFILE',
      'SHELL requires the arguments to be in JSON form, for example SHELL ["/bin/bash", "-c"]',
    );
  }
  const config = copyConfig(state.config);
  config.Shell = [...instruction.command.arguments];
  return { config, comment: `SHELL ${goList(config.Shell)}` };
}

function applyExpose(instruction: ListInstruction, state: StageState): ConfigChange {
  const config = copyConfig(state.config);
  // The classic builder (Engine 20.10) sorts the words as written, before expansion,
  // so its history reads `EXPOSE 9 80 100 8080` for `EXPOSE 8080 $P 100` with P="9 80".
  const sorted = [...instruction.values].sort(compareCodeUnits);
  const ports = sorted.flatMap((value) => expandListInState(state, value));
  const exposed = { ...(config.ExposedPorts ?? {}) };
  for (const port of exposedPorts(ports)) exposed[port] = {};
  config.ExposedPorts = exposed;
  return { config, comment: `EXPOSE ${ports.join(' ')}` };
}

function compareCodeUnits(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function applyVolume(instruction: ListInstruction, state: StageState): ConfigChange {
  const config = copyConfig(state.config);
  // Unlike EXPOSE, each VOLUME word stays one word after expansion, as in the classic builder.
  const volumes = instruction.values.map((value) => expandInState(state, value));
  const set = { ...(config.Volumes ?? {}) };
  for (const volume of volumes) {
    if (volume.trim() === '') {
      throw new BuildError('ERR_DOCKERFILE', 'VOLUME specified can not be an empty string');
    }
    set[volume] = {};
  }
  config.Volumes = set;
  return { config, comment: `VOLUME ${goList(volumes)}` };
}

function applyValue(instruction: ValueInstruction, state: StageState): ConfigChange {
  const config = copyConfig(state.config);
  const value = expandInState(state, instruction.value);
  if (instruction.name === 'USER') config.User = value;
  else config.StopSignal = value;
  return { config, comment: `${instruction.name} ${value}` };
}

function applyWorkdir(instruction: ValueInstruction, state: StageState): ConfigChange {
  const config = copyConfig(state.config);
  const folder = normalizeWorkdir(config.WorkingDir ?? '', expandInState(state, instruction.value));
  config.WorkingDir = folder;
  return { config, comment: `WORKDIR ${folder}`, singleArgument: true, createFolder: folder };
}

function applyMaintainer(instruction: ValueInstruction, state: StageState): ConfigChange {
  return {
    config: copyConfig(state.config),
    comment: `MAINTAINER ${instruction.value}`,
    author: instruction.value,
  };
}

function applyOnbuild(instruction: OnbuildInstruction, state: StageState): ConfigChange {
  const config = copyConfig(state.config);
  const text = onbuildExpression(instruction);
  config.OnBuild = [...(config.OnBuild ?? []), text];
  return { config, comment: `ONBUILD ${text}` };
}

/** Returns the trigger text of ONBUILD: what follows the keyword, as written. */
export function onbuildExpression(instruction: OnbuildInstruction): string {
  const text = instruction.syntax.logicalText;
  return text.replace(/^\s*onbuild\s*/i, '').trim();
}

function applyHealthcheck(instruction: HealthcheckInstruction, state: StageState): ConfigChange {
  const config = copyConfig(state.config);
  const test =
    instruction.test.kind === 'none' ? ['NONE'] : healthcheckTest(instruction.test.command);
  const health = {
    Test: test,
    Interval: nanoseconds(instruction.interval),
    Timeout: nanoseconds(instruction.timeout),
    StartPeriod: nanoseconds(instruction.startPeriod),
    Retries: retries(instruction.retries),
  };
  config.Healthcheck = withoutZeros(health);
  const durations = [health.Interval, health.Timeout, health.StartPeriod]
    .map((value) => goQuote(goDuration(value)))
    .join(' ');
  const comment = `HEALTHCHECK &{${goQuoteList(test)} ${durations} ${goQuoteRune(health.Retries)}}`;
  return { config, comment, ...overrideNote(state.config.Healthcheck?.Test) };
}

/** Returns the note the classic builder prints when a HEALTHCHECK replaces one that is not NONE. */
function overrideNote(previous: readonly string[] | null | undefined) {
  if (previous === undefined || previous === null || previous.length === 0) return {};
  if (previous[0] === 'NONE') return {};
  const message = `overriding previous HEALTHCHECK: ${goList(previous)}`;
  return { note: { rule: 'HealthcheckOverride', message } };
}

function healthcheckTest(command: Command): string[] {
  return command.form === 'exec' ? ['CMD', ...command.arguments] : ['CMD-SHELL', command.script];
}

function nanoseconds(
  flag: KnownFlag<'interval' | 'timeout' | 'start-period' | 'start-interval'> | undefined,
): number {
  return flag?.status === 'parsed' ? flag.value.nanoseconds : 0;
}

function retries(flag: KnownFlag<'retries'> | undefined): number {
  return flag?.status === 'parsed' ? flag.value : 0;
}

// The engine leaves zero durations and retries out of the stored config.
function withoutZeros(
  health: Required<Omit<NonNullable<ImageConfig['Healthcheck']>, 'StartInterval'>>,
) {
  const stored: NonNullable<ImageConfig['Healthcheck']> = { Test: health.Test };
  if (health.Interval) stored.Interval = health.Interval;
  if (health.Timeout) stored.Timeout = health.Timeout;
  if (health.StartPeriod) stored.StartPeriod = health.StartPeriod;
  if (health.Retries) stored.Retries = health.Retries;
  return stored;
}
