/** Runs the stages of a build as their dependencies finish, a bounded number at once. */
import type { StagePlan } from './plan.js';

/** Options of {@link runStageGraph}. */
export interface StageGraphOptions {
  readonly stages: readonly StagePlan[];
  /** Stages that may run at once; 1 runs them one after another in file order. */
  readonly limit: number;
  readonly run: (stage: StagePlan) => Promise<void>;
  /** Called once with the first failure, to stop the stages still running. */
  readonly onFailure: (error: unknown) => void;
}

/**
 * Starts each stage once every stage it names (FROM, `COPY --from`) has
 * finished, keeping at most `limit` running. Rejects with the first failure
 * after the running stages have ended.
 */
export function runStageGraph(options: StageGraphOptions): Promise<void> {
  const needed = new Set(options.stages.map((plan) => plan.stage.index));
  const dependencies = new Map(
    options.stages.map((plan) => [plan.stage.index, dependenciesOf(plan, needed)]),
  );
  const started = new Set<number>();
  const finished = new Set<number>();
  let running = 0;
  let failure: { error: unknown } | undefined;
  return new Promise<void>((resolve, reject) => {
    const startReady = () => {
      if (failure !== undefined) {
        if (running === 0) reject(failure.error);
        return;
      }
      if (finished.size === options.stages.length) {
        resolve();
        return;
      }
      for (const plan of options.stages) {
        const index = plan.stage.index;
        const ready = dependencies.get(index)?.every((stage) => finished.has(stage)) ?? true;
        if (running >= options.limit || started.has(index) || !ready) continue;
        started.add(index);
        running++;
        options
          .run(plan)
          .then(
            () => finished.add(index),
            (error: unknown) => {
              if (failure !== undefined) return;
              failure = { error };
              options.onFailure(error);
            },
          )
          .finally(() => {
            running--;
            startReady();
          });
      }
    };
    startReady();
  });
}

function dependenciesOf(plan: StagePlan, needed: ReadonlySet<number>): number[] {
  const stages = plan.stage.references.flatMap((reference) =>
    reference.stage !== undefined && needed.has(reference.stage) ? [reference.stage] : [],
  );
  return [...new Set(stages)];
}
