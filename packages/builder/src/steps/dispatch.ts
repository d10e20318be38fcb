/** Runs one step: the instruction's runner, chosen from a table by instruction name. */
import { BuildError } from '../errors.js';
import type { BuildSession } from '../session.js';
import { isConfigInstruction } from './config-instructions.js';
import { runConfigStep } from './config-step.js';
import { runCopyStep } from './copy-step.js';
import { locationOf, runRunStep } from './run-step.js';
import { locateError } from './step-error.js';
import type { StepRequest } from './step-request.js';

type StepRunner = (session: BuildSession, request: StepRequest) => Promise<void>;

const STEP_RUNNERS: Readonly<Record<string, StepRunner>> = {
  RUN: runRunStep,
  COPY: runCopyStep,
  ADD: runCopyStep,
};

/** Runs the step's instruction; errors without a location get the step's. */
export async function runStep(session: BuildSession, request: StepRequest): Promise<void> {
  const runner = runnerOf(request);
  try {
    await runner(session, request);
  } catch (error) {
    throw locateError(request, error);
  }
}

function runnerOf(request: StepRequest): StepRunner {
  const { instruction } = request;
  const runner = STEP_RUNNERS[instruction.name];
  if (runner !== undefined) return runner;
  if (isConfigInstruction(instruction)) return runConfigStep;
  throw new BuildError(
    'ERR_UNSUPPORTED',
    `${instruction.name} is not an instruction gantry can run`,
    {
      location: locationOf(request),
    },
  );
}
