/** Runs one stage: FROM, the base image's ONBUILD triggers, then each step. */
import { type Dockerfile, expandWord, parse } from '@gantry/dockerfile';
import { resolveBaseImage } from './base-image.js';
import { DeferredHits, StaleCacheHits } from './deferred-hits.js';
import { BuildError } from './errors.js';
import { copyConfig, withDefaultPath } from './image-config.js';
import type { PlannedInstruction, StagePlan } from './plan.js';
import type { BuildSession, PlannedStep } from './session.js';
import { restoreState, type StageState, type StateSnapshot, snapshotState } from './stage-state.js';
import { runStep } from './steps/dispatch.js';
import type { BuildArgs } from './variables.js';

/** Inputs of {@link runStage}. */
export interface StageRun {
  readonly plan: StagePlan;
  readonly file: Dockerfile;
  readonly buildArgs: BuildArgs;
  /** Final image of each stage built so far, by stage index. */
  readonly stageImages: ReadonlyMap<number, string>;
}

/**
 * Runs a stage; returns the id of its final image. Cache hits are checked in
 * the engine once per run of hits (see `deferred-hits.ts`): when the last
 * hit's image is gone, the stage goes back to the run's first step and
 * checks each hit from there.
 */
export async function runStage(session: BuildSession, run: StageRun): Promise<string> {
  const state = await startStage(session, run);
  const { cache } = session;
  const hits = new DeferredHits(session.emit, (imageId) =>
    cache === undefined ? Promise.resolve(true) : cache.imageExists(imageId, session.signal),
  );
  const stageSession: BuildSession = { ...session, emit: hits.emit, hits };
  const steps = run.plan.steps;
  let rewind = { index: 0, state: snapshotState(state) };
  let index = 0;
  for (;;) {
    if (index === steps.length) {
      if (await confirmAtEnd(hits)) return state.imageId;
      index = await rewindTo(session, state, rewind);
      continue;
    }
    if (!hits.waiting) {
      hits.release();
      rewind = { index, state: snapshotState(state) };
      hits.startBuffering();
    }
    const planned = steps[index] as PlannedInstruction;
    const request = stepRequest(run, planned, state, index);
    try {
      await timedStep(stageSession, planned.step, async () => {
        await runStep(stageSession, request);
        return state.imageId;
      });
      index += 1;
    } catch (error) {
      if (!(await failedOnStaleHit(hits, error))) throw error;
      index = await rewindTo(session, state, rewind);
    }
  }
}

/** Checks the hits of the stage's last run; releases their events if the check fails. */
async function confirmAtEnd(hits: DeferredHits): Promise<boolean> {
  try {
    return await hits.confirm();
  } catch (error) {
    hits.release();
    throw error;
  }
}

/** Puts the stage back to the first step of a run of trusted hits; returns that step's index. */
async function rewindTo(
  session: BuildSession,
  state: StageState,
  rewind: { readonly index: number; readonly state: StateSnapshot },
): Promise<number> {
  // The stale hits' bookkeeping must not land after the entries are replaced.
  await session.cache?.flush();
  restoreState(state, rewind.state);
  return rewind.index;
}

/**
 * After a step failed, checks the hits before it: whether the failure came
 * from a trusted hit whose image is gone. Otherwise the buffered events go out
 * before the error, as the steps ran.
 */
async function failedOnStaleHit(hits: DeferredHits, error: unknown): Promise<boolean> {
  if (error instanceof StaleCacheHits) return true;
  if (!hits.waiting) {
    hits.release();
    return false;
  }
  try {
    return !(await hits.confirm());
  } catch {
    // A cancelled build or an unreachable engine: the step's own error is the one to report.
    hits.release();
    return false;
  }
}

async function startStage(session: BuildSession, run: StageRun): Promise<StageState> {
  const { stage } = run.plan;
  let state: StageState | undefined;
  await timedStep(session, run.plan.from, async () => {
    const env = run.buildArgs.globalValues();
    const reference = expandWord(stage.base, { env, escape: run.file.escape }).value;
    const stageImage =
      stage.baseStage === undefined ? undefined : run.stageImages.get(stage.baseStage);
    const { from } = run.plan;
    const location = { step: from.number, instruction: from.text, range: from.range };
    const image = await resolveBaseImage(session, reference, stageImage, location);
    state = {
      imageId: image.Id,
      config: withDefaultPath(copyConfig(image.Config ?? {})),
      args: run.buildArgs.stageScope(),
      escape: run.file.escape,
      author: undefined,
      cmdSet: false,
      platform: `${image.Os}/${image.Architecture}`,
    };
    await runTriggers(session, run, state);
    return state.imageId;
  });
  if (state === undefined)
    throw new BuildError('ERR_BASE_IMAGE', 'The FROM step produced no image');
  return state;
}

/**
 * Runs the base image's ONBUILD triggers as part of the FROM step, as the
 * classic builder does; the stage's image no longer carries them.
 */
async function runTriggers(session: BuildSession, run: StageRun, state: StageState): Promise<void> {
  const triggers = state.config.OnBuild ?? [];
  if (triggers.length === 0) return;
  // NOTE: null, not [], is a guess at what the classic builder stores after running triggers.
  state.config = { ...state.config, OnBuild: null };
  session.emit({ type: 'step-triggers', step: run.plan.from.number, count: triggers.length });
  for (const [index, trigger] of triggers.entries()) {
    const instruction = parse(`${trigger}\n`).instructions[0];
    if (instruction === undefined) continue;
    const planned: PlannedInstruction = { step: run.plan.from, instruction };
    await runStep(session, stepRequest(run, planned, state, -1 - index));
  }
}

function stepRequest(run: StageRun, planned: PlannedInstruction, state: StageState, index: number) {
  return {
    step: planned.step,
    instruction: planned.instruction,
    state,
    cacheStep: { step: planned.step, stage: run.plan.key, index },
  };
}

/** Emits a step's start and end around its work. */
async function timedStep(
  session: BuildSession,
  step: PlannedStep,
  work: () => Promise<string>,
): Promise<void> {
  const started = Date.now();
  emitStepStart(session, step);
  const imageId = await work();
  session.emit({ type: 'step-done', step: step.number, imageId, durationMs: Date.now() - started });
}

/** Emits the `step-start` event of a step, which the classic log prints as `Step N/M : ...`. */
export function emitStepStart(session: BuildSession, step: PlannedStep): void {
  session.emit({
    type: 'step-start',
    step: step.number,
    steps: session.totalSteps,
    stage: step.stage,
    ...(step.stageName === undefined ? {} : { stageName: step.stageName }),
    stageStep: step.stageStep,
    stageSteps: step.stageSteps,
    instruction: step.text,
    ...(step.range === undefined ? {} : { range: eventRange(step) }),
  });
}

function eventRange(step: PlannedStep) {
  const range = step.range;
  if (range === undefined) return undefined;
  return {
    start: { line: range.start.line, character: range.start.character },
    end: { line: range.end.line, character: range.end.character },
  };
}
