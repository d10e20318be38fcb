/** The steps of one build, folded from its events for the API's build summary. */
import type { BuildEvent } from '@gantry/log-format';

/** A step as `GET /v1/builds/:id` returns it. */
export interface StepSummary {
  /** One-based step number, as in `Step 2/8`. */
  readonly step: number;
  readonly instruction: string;
  /** Step state. A step still running when its build ends takes the build's end state. */
  readonly state: 'running' | 'done' | 'failed' | 'cancelled';
  /** Whether the result came from the cache; undefined until known and for FROM. */
  readonly cached: boolean | undefined;
  /** Cache miss reason code, such as `no-entry` or `cache-disabled`. */
  readonly cacheMiss: string | undefined;
  /** Time in milliseconds since the Unix epoch. */
  readonly startedAt: number;
  readonly durationMs: number | undefined;
  /** Image the step produced. */
  readonly imageId: string | undefined;
}

interface StepRow {
  step: number;
  instruction: string;
  /** Whether the step starts a stage (a FROM), whose image is a base image. */
  startsStage: boolean;
  state: StepSummary['state'];
  cached: boolean | undefined;
  cacheMiss: string | undefined;
  startedAt: number;
  durationMs: number | undefined;
  imageId: string | undefined;
}

/** Folds build events into one row per step. */
export class StepTable {
  readonly #rows = new Map<number, StepRow>();
  cacheHits = 0;
  cacheMisses = 0;

  /** Updates the rows with one event. */
  apply(event: BuildEvent): void {
    if (event.type === 'step-start') {
      this.#rows.set(event.step, newRow(event));
      return;
    }
    if (event.type === 'build-error' && event.step !== undefined) {
      const row = this.#rows.get(event.step);
      if (row !== undefined) row.state = 'failed';
      return;
    }
    if (!('step' in event) || event.step === undefined) return;
    const row = this.#rows.get(event.step);
    if (row !== undefined) this.#applyToRow(row, event);
  }

  #applyToRow(row: StepRow, event: BuildEvent): void {
    if (event.type === 'step-cache-hit') {
      row.cached = true;
      this.cacheHits++;
    } else if (event.type === 'step-cache-miss') {
      row.cached = false;
      row.cacheMiss = event.code;
      this.cacheMisses++;
    } else if (event.type === 'step-done') {
      row.state = 'done';
      row.imageId = event.imageId;
      row.durationMs = event.durationMs;
    }
  }

  /** Ends the steps that are still running with the build's end state. */
  endRunning(state: 'failed' | 'cancelled'): void {
    for (const row of this.#rows.values()) {
      if (row.state === 'running') row.state = state;
    }
  }

  /** Lists the rows in step order. */
  list(): StepSummary[] {
    return [...this.#rows.values()]
      .sort((left, right) => left.step - right.step)
      .map(({ startsStage: _startsStage, ...row }) => row);
  }

  /** Images of finished steps that ran (not cache hits, not FROM). */
  createdImages(): string[] {
    return this.list().flatMap((row) => {
      const source = this.#rows.get(row.step);
      const ran = source?.startsStage === false && row.cached !== true;
      return ran && row.imageId !== undefined ? [row.imageId] : [];
    });
  }
}

function newRow(event: Extract<BuildEvent, { type: 'step-start' }>): StepRow {
  return {
    step: event.step,
    instruction: event.instruction,
    // The first step of a stage is its FROM; a global ARG step also counts 1 but makes no image.
    startsStage: event.stageStep === 1,
    state: 'running',
    cached: undefined,
    cacheMiss: undefined,
    startedAt: event.time,
    durationMs: undefined,
    imageId: undefined,
  };
}
