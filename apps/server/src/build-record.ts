/** One build as the server tracks it: its state, its events and the summary the API returns. */
import type { BuildEvent } from '@gantry/log-format';
import { type StepSummary, StepTable } from './step-table.js';

/** State of a build, from admission to its end. */
export type BuildState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** A build as `GET /v1/builds/:id` returns it. */
export interface BuildSummary {
  readonly id: string;
  readonly state: BuildState;
  /** Tags requested for the final image. */
  readonly tags: readonly string[];
  /** Times in milliseconds since the Unix epoch. */
  readonly createdAt: number;
  readonly startedAt: number | undefined;
  readonly finishedAt: number | undefined;
  /** Running time in milliseconds, from the run slot to the end. */
  readonly durationMs: number | undefined;
  /** Final image id, after success. */
  readonly imageId: string | undefined;
  /** Failure or cancellation reason. */
  readonly error: string | undefined;
  readonly steps: readonly StepSummary[];
  readonly cacheHits: number;
  readonly cacheMisses: number;
  /** Images this build committed (cache hits and base images excluded), in step order. */
  readonly createdImages: readonly string[];
  /** Number of events so far; the events route numbers them from 0. */
  readonly eventCount: number;
}

/** Receives a record's events as they arrive; `index` counts from 0. */
export type EventListener = (event: BuildEvent, index: number) => void;

/**
 * A build's record. Events are kept in full so that a late reader of the
 * events route gets the backlog before the live events.
 *
 * NOTE: nothing bounds the events of one build, its steps' output included.
 * A cap would need a marker event that shows readers what was dropped.
 */
export class BuildRecord {
  readonly id: string;
  readonly tags: readonly string[];
  readonly createdAt = Date.now();
  readonly controller = new AbortController();
  readonly events: BuildEvent[] = [];
  #state: BuildState = 'queued';
  #startedAt: number | undefined;
  #finishedAt: number | undefined;
  #imageId: string | undefined;
  #error: string | undefined;
  readonly #steps = new StepTable();
  readonly #listeners = new Set<EventListener>();
  readonly #finishListeners = new Set<() => void>();

  constructor(id: string, tags: readonly string[]) {
    this.id = id;
    this.tags = tags;
  }

  get state(): BuildState {
    return this.#state;
  }

  /** Whether the build ended (succeeded, failed or cancelled). */
  get finished(): boolean {
    return this.#finishedAt !== undefined;
  }

  /** Marks the build running, from when it got a run slot. */
  markRunning(): void {
    this.#state = 'running';
    this.#startedAt = Date.now();
  }

  /** Stores an event and passes it to every listener. */
  push(event: BuildEvent): void {
    const index = this.events.length;
    this.events.push(event);
    this.#steps.apply(event);
    if (event.type === 'build-done') this.#imageId = event.imageId;
    for (const listener of this.#listeners) listener(event, index);
  }

  /** Ends the build in `state` at `time`; followers added later learn it at once. */
  finish(
    state: 'succeeded' | 'failed' | 'cancelled',
    error: string | undefined,
    time = Date.now(),
  ): void {
    if (this.finished) return;
    this.#state = state;
    this.#error = error;
    this.#finishedAt = time;
    if (state !== 'succeeded') this.#steps.endRunning(state);
    for (const listener of this.#finishListeners) listener();
    this.#listeners.clear();
    this.#finishListeners.clear();
  }

  /**
   * Calls `onEvent` for each event from `from` on, the stored ones first,
   * then live ones, and `onFinish` once the build has ended. Returns a
   * function that stops both.
   */
  follow(from: number, onEvent: EventListener, onFinish: () => void): () => void {
    for (let index = from; index < this.events.length; index++) {
      onEvent(this.events[index] as BuildEvent, index);
    }
    if (this.finished) {
      onFinish();
      return () => {};
    }
    this.#listeners.add(onEvent);
    this.#finishListeners.add(onFinish);
    return () => {
      this.#listeners.delete(onEvent);
      this.#finishListeners.delete(onFinish);
    };
  }

  /** The build as the API returns it. */
  summary(): BuildSummary {
    const { started, finished } = { started: this.#startedAt, finished: this.#finishedAt };
    return {
      id: this.id,
      state: this.#state,
      tags: this.tags,
      createdAt: this.createdAt,
      startedAt: started,
      finishedAt: finished,
      durationMs: started !== undefined && finished !== undefined ? finished - started : undefined,
      imageId: this.#imageId,
      error: this.#error,
      steps: this.#steps.list(),
      cacheHits: this.#steps.cacheHits,
      cacheMisses: this.#steps.cacheMisses,
      createdImages: this.#steps.createdImages(),
      eventCount: this.events.length,
    };
  }
}
