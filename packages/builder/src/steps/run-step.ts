/** RUN: the command runs in a container from the parent image, which is then committed. */
import { EngineError, type HostConfig, type ImageConfig } from '@gantry/daemon';
import type { RunInstruction } from '@gantry/dockerfile';
import { encodeOutput } from '@gantry/log-format';
import { runCached } from '../cache-step.js';
import { BuildError, StepFailedError } from '../errors.js';
import { environmentOf, shellOf } from '../image-config.js';
import type { BuildSession } from '../session.js';
import type { StageState } from '../stage-state.js';
import { PREDEFINED_ARGS } from '../variables.js';
import { heredocScript } from './run-heredoc.js';
import { commitStepContainer } from './step-container.js';
import type { StepRequest } from './step-request.js';

/**
 * Entry point that passes build args to the command without putting them in
 * the container's `Env`: the engine's commit copies container variables the
 * image config lacks into the image, which would leak build args. It drops
 * the `|N` marker of the history form and runs `env NAME=value... command`;
 * `hidden` are the predefined proxy args that history leaves out.
 * NOTE: needs `env` and `/bin/sh` in the image whenever build args reach a
 * RUN. The engine API offers no way to keep a container's variables out of a commit.
 */
function buildArgsEntrypoint(hidden: readonly string[]): string[] {
  return ['env', ...hidden, '/bin/sh', '-c', 'shift; exec env "$@"', 'gantry-run'];
}

/** Runs a RUN instruction and moves the stage to the committed image. */
export async function runRunStep(session: BuildSession, request: StepRequest): Promise<void> {
  const instruction = request.instruction as RunInstruction;
  const { state } = request;
  rejectUnsupported(instruction, request);
  const command = runCommand(instruction, state);
  const buildArgs = state.args.allowed(environmentOf(state.config));
  const historyCommand = withBuildArgs(command, buildArgs, state);
  state.imageId = await runCached(session, {
    ...request.cacheStep,
    inputs: {
      parent: state.imageId,
      platform: state.platform,
      instruction: 'RUN',
      arguments: historyCommand,
      buildArgs: Object.fromEntries(buildArgs),
    },
    run: () =>
      withEngineReason(
        request,
        commitStepContainer(session, {
          step: request.step,
          parent: state.imageId,
          ...withoutHealthcheck(runConfigs(request, historyCommand, buildArgs)),
          hostConfig: hostConfig(session, instruction),
          purpose: 'run',
          author: state.author,
          work: (containerId) => runCommandIn(session, request, containerId, command),
        }),
      ),
  });
}

/** Returns the command as the engine runs it: exec form as written, shell form through SHELL. */
export function runCommand(instruction: RunInstruction, state: StageState): string[] {
  const { command } = instruction;
  if (instruction.heredocs.length > 0) {
    return [...shellOf(state.config), heredocScript(instruction)];
  }
  return command.form === 'exec'
    ? [...command.arguments]
    : [...shellOf(state.config), command.script];
}

/**
 * Returns the command as the classic builder records it in history and compares it
 * for the cache: `|N NAME=value... command` when build args reach the step.
 * Predefined proxy args are left out unless an ARG declared them.
 */
function withBuildArgs(
  command: string[],
  buildArgs: [string, string][],
  state: StageState,
): string[] {
  if (buildArgs.length === 0) return command;
  const shown = assignments(buildArgs.filter(([key]) => isShown(key, state)));
  return [`|${shown.length}`, ...shown, ...command];
}

function isShown(key: string, state: StageState): boolean {
  return state.args.isDeclared(key) || !PREDEFINED_ARGS.has(key);
}

function assignments(pairs: [string, string][]): string[] {
  return pairs.map(([key, value]) => `${key}=${value}`).sort();
}

/**
 * Returns the step container's config and the config its commit stores. The
 * engine records the container's `Cmd` as the history's `created_by`, so
 * `Cmd` is the history form (`|1 VERSION=1.2 /bin/sh -c ...`) and the
 * build-args wrapper is the container's entry point.
 */
function runConfigs(
  request: StepRequest,
  historyCommand: string[],
  buildArgs: [string, string][],
): { containerConfig: ImageConfig; commitConfig: ImageConfig } {
  const { config } = request.state;
  if (buildArgs.length === 0) {
    return {
      containerConfig: { ...config, Cmd: historyCommand, Entrypoint: [''] },
      commitConfig: config,
    };
  }
  const hidden = assignments(buildArgs.filter(([key]) => !isShown(key, request.state)));
  const wrapper = buildArgsEntrypoint(hidden);
  if ((config.Entrypoint ?? []).length > 0) {
    return {
      containerConfig: { ...config, Cmd: historyCommand, Entrypoint: wrapper },
      commitConfig: config,
    };
  }
  if (request.step.stageStep < request.step.stageSteps) {
    // The commit would copy the wrapper into an image without an entry point
    // unless the commit's config sets one, and `[""]` is such a value. The
    // engine resets `[""]` to none when it creates the next step's container.
    return {
      containerConfig: { ...config, Cmd: historyCommand, Entrypoint: wrapper },
      commitConfig: { ...config, Entrypoint: [''] },
    };
  }
  // NOTE: the stage's last step would leave `[""]` in the final image config,
  // so there the wrapper goes into Cmd and the history shows it.
  return {
    containerConfig: { ...config, Cmd: [...wrapper, ...historyCommand], Entrypoint: [''] },
    commitConfig: config,
  };
}

/**
 * Turns the image's health check off in the step container, as the classic
 * builder does, so that it never runs while the command does and nothing it
 * writes lands in the layer. The commit keeps the image's own, because the
 * engine fills only the commit config's missing health check fields from
 * the container's.
 */
function withoutHealthcheck(configs: { containerConfig: ImageConfig; commitConfig: ImageConfig }) {
  const test = configs.containerConfig.Healthcheck?.Test ?? [];
  if (test.length === 0 || test[0] === 'NONE') return configs;
  const containerConfig = { ...configs.containerConfig, Healthcheck: { Test: ['NONE'] } };
  return { ...configs, containerConfig };
}

/** Returns the RUN container's host settings: its network mode and the build's `runContainer`. */
function hostConfig(session: BuildSession, instruction: RunInstruction): HostConfig | undefined {
  const flag = instruction.network;
  const network = flag?.status === 'parsed' ? flag.value : session.options.networkMode;
  const settings = session.options.runContainer ?? {};
  const entries = Object.entries({
    NetworkMode: network === 'default' ? undefined : network,
    ExtraHosts: settings.extraHosts?.length ? [...settings.extraHosts] : undefined,
    ShmSize: settings.shmSize,
    Memory: settings.memory,
    MemorySwap: settings.memorySwap,
    CpuShares: settings.cpuShares,
    CpusetCpus: settings.cpusetCpus,
    CpusetMems: settings.cpusetMems,
    CpuPeriod: settings.cpuPeriod,
    CpuQuota: settings.cpuQuota,
    CgroupParent: settings.cgroupParent,
    Ulimits: settings.ulimits?.length
      ? settings.ulimits.map(({ name, soft, hard }) => ({ Name: name, Soft: soft, Hard: hard }))
      : undefined,
  }).filter(([, value]) => value !== undefined);
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

async function runCommandIn(
  session: BuildSession,
  request: StepRequest,
  containerId: string,
  command: string[],
): Promise<void> {
  const { engine, signal } = session;
  const step = request.step.number;
  const output = await engine.containers.attach(containerId, { signal });
  await startStepContainer(session, request, containerId);
  const forwarding = (async () => {
    for await (const chunk of output) {
      session.emit({ type: 'output', step, stream: chunk.stream, ...encodeOutput(chunk.data) });
      const waiting = session.options.waitForOutputReaders?.();
      if (waiting !== undefined) await untilAborted(waiting, session.signal);
    }
  })();
  // An abort rejects both; the wait below reports it, so this copy must not go unhandled.
  forwarding.catch(() => {});
  const exit = await engine.containers.wait(containerId, { signal });
  await forwarding;
  if (exit.exitCode !== 0) {
    throw new StepFailedError(locationOf(request), command, exit.exitCode);
  }
}

/**
 * Starts a RUN container. When the engine rejects the start, such as for a
 * USER that the image's passwd file lacks, the step fails with the engine's
 * reason alone, which is what the classic builder prints.
 */
async function startStepContainer(
  session: BuildSession,
  request: StepRequest,
  containerId: string,
): Promise<void> {
  try {
    await session.engine.containers.start(containerId, { signal: session.signal });
  } catch (error) {
    throw engineRejection(error, request) ?? error;
  }
}

/**
 * Fails the step with the engine's message alone when the engine rejects the
 * RUN container's settings on create, such as a CPU period under 1000
 * microseconds. The classic builder prints that message alone too.
 */
async function withEngineReason(request: StepRequest, step: Promise<string>): Promise<string> {
  try {
    return await step;
  } catch (error) {
    throw engineRejection(error, request) ?? error;
  }
}

/** Returns a step failure with the engine's message for a rejected request, other than a 404. */
function engineRejection(error: unknown, request: StepRequest): BuildError | undefined {
  const rejected = error instanceof EngineError && (error.statusCode ?? 0) >= 400;
  if (!rejected || error.statusCode === 404 || error.engineMessage === '') return undefined;
  return new BuildError('ERR_STEP_FAILED', error.engineMessage, {
    location: locationOf(request),
    cause: error,
  });
}

/** Returns the step's location for errors. */
export function locationOf(request: StepRequest) {
  return { step: request.step.number, instruction: request.step.text, range: request.step.range };
}

function rejectUnsupported(instruction: RunInstruction, request: StepRequest): void {
  const unsupported =
    instruction.mounts.length > 0
      ? '--mount'
      : instruction.security !== undefined
        ? '--security'
        : undefined;
  if (unsupported !== undefined) {
    throw new BuildError(
      'ERR_UNSUPPORTED',
      `RUN ${unsupported} is not supported by gantry yet; remove the flag`,
      {
        location: locationOf(request),
      },
    );
  }
}

/** Waits for `promise`, or until `signal` is aborted. */
function untilAborted(promise: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    promise.then(done, done);
  });
}
