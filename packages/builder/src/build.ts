/** `build`: a Dockerfile and its context to an image, step by step on the engine. */
import { setMaxListeners } from 'node:events';
import { resolve } from 'node:path';
import { CacheError, LayerCache } from '@gantry/cache';
import { connectDockerEngine, type DockerEngine } from '@gantry/daemon';
import {
  type Dockerfile,
  DockerfileSyntaxError,
  type InstructionNode,
  type Range,
} from '@gantry/dockerfile';
import { removeBuildLeftovers } from './cleanup.js';
import { type ContextFiles, readContext } from './context/context-files.js';
import { BuildError, StepFailedError } from './errors.js';
import { createEmitter, type EmitEvent } from './events.js';
import { validateNetworkMode } from './network-mode.js';
import type { BuildOptions, BuildResult } from './options.js';
import { type BuildPlan, planBuild } from './plan.js';
import type { BuildSession } from './session.js';
import { settleAll } from './settle.js';
import { runStageGraph } from './stage-graph.js';
import { emitStepStart, runStage } from './stage-runner.js';
import { settleRemovals } from './steps/step-container.js';
import { validateTags } from './tag-reference.js';
import { BuildArgs } from './variables.js';

/**
 * Builds an image from a Dockerfile and its context, as the engine's classic
 * builder does: each step runs in a container created from the previous
 * step's image and is committed. Steps whose inputs are unchanged reuse the
 * cached image. Rejects with a {@link BuildError} (a failing RUN with a
 * {@link StepFailedError}), or with the signal's reason when aborted; either
 * way no container of the build is left, and an aborted build also removes
 * the images it committed.
 *
 * @example
 * ```ts
 * const { imageId } = await build({
 *   contextDir: 'examples/seed',
 *   tags: ['temp-ubuntu'],
 *   onEvent: (event) => process.stdout.write(renderer.render(event)),
 * });
 * ```
 */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const started = Date.now();
  const emit = createEmitter(options.onEvent);
  let session: BuildSession | undefined;
  // Connecting (a version request) and reading the context overlap with parsing the Dockerfile.
  const connecting = options.engine ?? connectDockerEngine({ signal: options.signal });
  Promise.resolve(connecting).catch(() => {});
  try {
    validateTags(options.tags ?? []);
    validateNetworkMode(options.networkMode);
    const reading = readContext({ contextDir: options.contextDir, signal: options.signal });
    reading.catch(() => {});
    const plan = await planBuild(options);
    session = await openSession(options, plan, emit, connecting, reading);
    emit({
      type: 'build-start',
      contextSize: options.contextSize ?? session.context.classicSize,
      steps: plan.steps,
      stages: plan.stages.length,
    });
    // The classic builder prints the parser's warnings before the first step.
    warnDiagnostics(emit, plan.file);
    // The classic builder prints a global ARG's step line and nothing else.
    for (const step of plan.globalArgs) emitStepStart(session, step);
    const { imageId, buildArgs } = await runStages(session, plan);
    warnUnusedArgs(emit, buildArgs);
    // Tags need neither the step containers gone nor the cache written, so
    // all three finish together: 10 to 20 ms less for the last removal.
    await settleAll([settleRemovals(session), session.cache?.flush(), tagImage(session, imageId)]);
    const tags = [...(options.tags ?? [])];
    emit({ type: 'build-done', imageId, tags, durationMs: Date.now() - started });
    return { imageId, tags, createdImages: [...session.createdImages] };
  } catch (caught) {
    const cancelled = options.signal?.aborted === true;
    // A stream cut off by the abort rejects with Node's AbortError; the caller's reason is the report.
    const error = cancelled ? options.signal?.reason : caught;
    if (session !== undefined) {
      await session.cache?.flush().catch(() => {});
      await removeBuildLeftovers(session, cancelled);
    }
    emit(errorEvent(error, cancelled));
    throw error;
  }
}

async function openSession(
  options: BuildOptions,
  plan: BuildPlan,
  emit: EmitEvent,
  connecting: DockerEngine | Promise<DockerEngine>,
  reading: Promise<ContextFiles>,
): Promise<BuildSession> {
  const [engine, context] = await Promise.all([connecting, reading]);
  // The build's own signal: the caller's, and the first failing stage's when stages run at once.
  const stages = new AbortController();
  // Every engine call of every running stage listens on it; parallel stages pass Node's default of 10.
  setMaxListeners(100, stages.signal);
  const callerSignal = options.signal;
  if (callerSignal !== undefined) {
    if (callerSignal.aborted) stages.abort(callerSignal.reason);
    callerSignal.addEventListener('abort', () => stages.abort(callerSignal.reason), { once: true });
  }
  const dockerfile = options.dockerfile ?? 'Dockerfile';
  return {
    engine,
    cache: options.cache ?? defaultCache(engine),
    emit,
    options,
    signal: stages.signal,
    stopStages: (error) => stages.abort(error),
    context,
    totalSteps: plan.steps,
    scope:
      options.cacheScope ??
      `${resolve(options.contextDir)}\n${resolve(options.contextDir, dockerfile)}`,
    createdImages: [],
    recordedKeys: new Map(),
    stageImages: new Map(),
    stageNames: new Map(
      plan.file.stages.flatMap((stage) =>
        stage.name === undefined ? [] : [[stage.name, stage.index]],
      ),
    ),
    liveContainers: new Set(),
    keptContainers: new Set(),
    removals: [],
    heldRemovals: [],
  };
}

function defaultCache(engine: DockerEngine): LayerCache {
  return new LayerCache({
    confirmImage: (imageId, signal) => engine.images.exists(imageId, { signal }),
  });
}

async function runStages(session: BuildSession, plan: BuildPlan) {
  const buildArgs = new BuildArgs(session.options.buildArgs ?? {});
  for (const arg of plan.file.globalArgs) {
    for (const definition of arg.args)
      buildArgs.declareGlobal(definition.key, definition.defaultValue, plan.file.escape);
  }
  const { stageImages } = session;
  await runStageGraph({
    stages: plan.stages,
    limit: Math.max(1, session.options.parallelStages ?? 1),
    run: async (stagePlan) => {
      const imageId = await runStage(session, {
        plan: stagePlan,
        file: plan.file,
        buildArgs,
        stageImages,
      });
      stageImages.set(stagePlan.stage.index, imageId);
    },
    onFailure: (error) => session.stopStages(error),
  });
  const target = plan.stages[plan.stages.length - 1];
  return { imageId: stageImages.get(target?.stage.index ?? -1) ?? '', buildArgs };
}

/**
 * Emits a `warning` event for each of the parser's warnings, with the
 * instruction it is about. An instruction with several empty continuation
 * lines gets one warning, as the engine lists it once.
 */
function warnDiagnostics(emit: EmitEvent, file: Dockerfile): void {
  const warned = new Set<InstructionNode>();
  for (const diagnostic of file.diagnostics) {
    if (diagnostic.severity !== 'warning') continue;
    const instruction = instructionAt(file, diagnostic.range);
    if (diagnostic.rule === 'NoEmptyContinuation' && instruction !== undefined) {
      if (warned.has(instruction)) continue;
      warned.add(instruction);
    }
    const { start, end } = diagnostic.range;
    emit({
      type: 'warning',
      message: diagnostic.message,
      rule: diagnostic.rule,
      range: {
        start: { line: start.line, character: start.character },
        end: { line: end.line, character: end.character },
      },
      ...(instruction === undefined ? {} : { instruction: instruction.logicalText }),
    });
  }
}

/** Returns the instruction whose lines contain the range's start line. */
function instructionAt(file: Dockerfile, range: Range): InstructionNode | undefined {
  const line = range.start.line;
  return file.syntax.instructions.find(
    (instruction) => instruction.range.start.line <= line && line <= instruction.range.end.line,
  );
}

function warnUnusedArgs(emit: EmitEvent, buildArgs: BuildArgs): void {
  const unused = buildArgs.unused();
  if (unused.length === 0) return;
  emit({
    type: 'warning',
    message: `One or more build-args [${unused.join(' ')}] were not consumed`,
    rule: 'UnusedBuildArg',
  });
}

async function tagImage(session: BuildSession, imageId: string): Promise<void> {
  const tags = session.options.tags ?? [];
  await settleAll(
    tags.map((tag) => session.engine.images.tag(imageId, tag, { signal: session.signal })),
  );
}

function errorEvent(error: unknown, cancelled: boolean) {
  const code = cancelled ? 'ERR_CANCELLED' : codeOf(error);
  const base = {
    type: 'build-error' as const,
    message: messageOf(error),
    ...(code === undefined ? {} : { code }),
  };
  if (error instanceof StepFailedError) {
    return {
      ...base,
      step: error.location?.step ?? 1,
      exitCode: error.exitCode,
      command: [...error.command],
      message: error.message.replace(/ \(step .*$/s, ''),
    };
  }
  if (error instanceof BuildError && error.location !== undefined)
    return { ...base, step: error.location.step };
  // A parse error has no step, but the parser's range of its first error.
  if (error instanceof BuildError && error.cause instanceof DockerfileSyntaxError)
    return { ...base, range: eventRange(error.cause.range) };
  return base;
}

/** Copies a range into the plain JSON shape of a build event. */
function eventRange({ start, end }: Range) {
  return {
    start: { line: start.line, character: start.character },
    end: { line: end.line, character: end.character },
  };
}

/**
 * Returns the error's own code: the `ERR_...` code of gantry's and the
 * daemon's errors, or the code of an `@gantry/cache` error (`CONTEXT_NOT_FOUND`).
 * Node.js's system codes (`ENOENT`) are left out.
 */
function codeOf(error: unknown): string | undefined {
  if (error instanceof CacheError) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_') ? code : undefined;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
