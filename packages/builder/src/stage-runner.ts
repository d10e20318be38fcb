/** Runs one stage: FROM, the base image's ONBUILD triggers, then each step. */
import { type Dockerfile, expandWord, parse } from '@gantry/dockerfile';
import { resolveBaseImage } from './base-image.js';
import { BuildError } from './errors.js';
import { copyConfig, withDefaultPath } from './image-config.js';
import type { PlannedInstruction, StagePlan } from './plan.js';
import type { BuildSession, PlannedStep } from './session.js';
import type { StageState } from './stage-state.js';
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

/** Runs a stage; returns the id of its final image. */
export async function runStage(session: BuildSession, run: StageRun): Promise<string> {
  const state = await startStage(session, run);
  for (const [index, planned] of run.plan.steps.entries()) {
    await timedStep(session, planned.step, async () => {
      await runStep(session, stepRequest(run, planned, state, index));
      return state.imageId;
    });
  }
  return state.imageId;
}

async function startStage(session: BuildSession, run: StageRun): Promise<StageState> {
  const { stage } = run.plan;
  let state: StageState | undefined;
  await timedStep(session, run.plan.from, async () => {
    const env = run.buildArgs.globalValues();
    const reference = expandWord(stage.base, { env, escape: run.file.escape }).value;
    const stageImage =
      stage.baseStage === undefined ? undefined : run.stageImages.get(stage.baseStage);
    const image = await resolveBaseImage(session, reference, stageImage, run.plan.from.number);
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
