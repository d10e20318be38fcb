/** Config-only steps: a container from the parent, committed with the new config. */
import type { TypedInstruction } from '@gantry/dockerfile';
import { runCached } from '../cache-step.js';
import { shellOf } from '../image-config.js';
import type { BuildSession } from '../session.js';
import type { StageState } from '../stage-state.js';
import { applyConfigInstruction } from './config-instructions.js';
import { createFolder } from './create-folder.js';
import { commitStepContainer } from './step-container.js';
import type { StepRequest } from './step-request.js';

/** Runs a config-only instruction (ENV, CMD, WORKDIR...) and moves the stage to its image. */
export async function runConfigStep(session: BuildSession, request: StepRequest): Promise<void> {
  const { state, instruction } = request;
  const change = applyConfigInstruction(instruction, state);
  if (change.note !== undefined) {
    session.emit({ type: 'warning', step: request.step.number, ...change.note });
  }
  const nop =
    change.singleArgument === true ? [`#(nop) ${change.comment}`] : ['#(nop) ', change.comment];
  const author = change.author ?? state.author;
  state.imageId = await runCached(session, {
    ...request.cacheStep,
    inputs: configInputs(state, instruction, change.comment),
    run: () =>
      commitStepContainer(session, {
        step: request.step,
        parent: state.imageId,
        containerConfig: { ...change.config, Cmd: [...shellOf(change.config), ...nop] },
        purpose: 'commit',
        commitConfig: change.config,
        author,
        work: makeWork(session, change.createFolder),
      }),
  });
  state.config = change.config;
  state.author = author;
  if (change.cmdSet === true) state.cmdSet = true;
}

function makeWork(session: BuildSession, folder: string | undefined) {
  if (folder === undefined) return undefined;
  return async (containerId: string) => {
    await createFolder(session, containerId, folder);
  };
}

function configInputs(state: StageState, instruction: TypedInstruction, comment: string) {
  return {
    parent: state.imageId,
    platform: state.platform,
    instruction: instruction.name,
    arguments: [comment],
  };
}
