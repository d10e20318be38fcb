/**
 * Step identity across builds: how a step of today's build finds "the previous
 * build of that step" whose inputs explain a cache miss.
 */
import { hashCanonical } from './canonical.js';

/** The identity of one step of one Dockerfile across builds. */
export interface StepIdentity {
  /**
   * The build the step belongs to, chosen by the caller; gantry's builder uses
   * the absolute context path and the Dockerfile path, so two projects never
   * share step ids.
   */
  readonly scope: string;
  /** Stage name when the stage has one (`FROM ... AS name`), else its index as text. */
  readonly stage: string;
  /** Zero-based index of the instruction within its stage, FROM excluded. */
  readonly index: number;
  /** Instruction kind in upper case. */
  readonly instruction: string;
}

/** Returns the step id `sha256:<hex>` of an identity; equal identities give equal ids. */
export function stepId(identity: StepIdentity): string {
  return hashCanonical([
    'gantry.step.v1',
    identity.scope,
    identity.stage,
    identity.index,
    identity.instruction,
  ]);
}
