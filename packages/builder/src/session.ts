/** What every step of one build shares: the engine, the cache, the event sink and the cleanup lists. */
import type { LayerCache } from '@gantry/cache';
import type { DockerEngine } from '@gantry/daemon';
import type { Range } from '@gantry/dockerfile';
import type { ContextFiles } from './context/context-files.js';
import type { DeferredHits } from './deferred-hits.js';
import type { EmitEvent } from './events.js';
import type { BuildOptions } from './options.js';

/** One step of the build plan. */
export interface PlannedStep {
  /** One-based step number across the build. */
  readonly number: number;
  /** One-based index within the stage, FROM included. */
  readonly stageStep: number;
  /** Number of steps in the stage, FROM included. */
  readonly stageSteps: number;
  /** Zero-based index of the stage in the Dockerfile. */
  readonly stage: number;
  /** Name of the stage, when it has one. */
  readonly stageName: string | undefined;
  /** The instruction as the log prints it. */
  readonly text: string;
  readonly range: Range | undefined;
}

/** The shared state of one build. */
export interface BuildSession {
  readonly engine: DockerEngine;
  readonly cache: LayerCache | undefined;
  readonly emit: EmitEvent;
  readonly options: BuildOptions;
  /** Aborted by the caller's signal, or by the first failing stage when stages run at once. */
  readonly signal: AbortSignal;
  /** Stops the stages still running after one failed. */
  readonly stopStages: (error: unknown) => void;
  readonly context: ContextFiles;
  /** Number of steps in the build. */
  readonly totalSteps: number;
  /** Scope of step ids: the context and Dockerfile paths. */
  readonly scope: string;
  /** Images committed by this build, in order; removed when the build is cancelled. */
  readonly createdImages: string[];
  /** Cache keys of each image this build recorded, to forget the entries of removed images. */
  readonly recordedKeys: Map<string, readonly string[]>;
  /** Final image of each stage built so far, by stage index, for FROM and `COPY --from`. */
  readonly stageImages: Map<number, string>;
  /** Stage names by index, to resolve `COPY --from=name`. */
  readonly stageNames: ReadonlyMap<string, number>;
  /** Containers that exist right now; removed when the build fails or is cancelled. */
  readonly liveContainers: Set<string>;
  /** Step containers kept after their step (`keepContainers`); removed only when the build is cancelled. */
  readonly keptContainers: Set<string>;
  /**
   * Removals of step containers still in flight. A step's container is
   * removed while the next step runs; the build awaits them all before it ends.
   */
  readonly removals: Promise<void>[];
  /** Starts of step container removals held until the next create (see `removeInBackground`). */
  readonly heldRemovals: (() => void)[];
  /**
   * The running stage's trusted hits, whose engine check waits for the last
   * one; each hit is checked on its own without it (ONBUILD triggers).
   */
  readonly hits?: DeferredHits;
}
