/** The request the stage runner hands each step. */
import type { TypedInstruction } from '@gantry/dockerfile';
import type { PlannedStep } from '../session.js';
import type { StageState } from '../stage-state.js';

/** One step to run in a stage. */
export interface StepRequest {
  readonly step: PlannedStep;
  readonly instruction: TypedInstruction;
  readonly state: StageState;
  /** Identity of the step for cache lookups. */
  readonly cacheStep: {
    readonly step: PlannedStep;
    readonly stage: string;
    readonly index: number;
  };
}
