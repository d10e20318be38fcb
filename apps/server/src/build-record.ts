/** One build as the server tracks it: its state, its events and the summary the API returns. */
import type { BuildEvent } from '@gantry/log-format';
import { KeptEvents } from './kept-events.js';
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
  /** Number of events so far, kept or not. The events route numbers them from 0. */
  readonly eventCount: number;
  /** Bytes of step output left out of the kept events, as the containers wrote them. */
  readonly omittedOutputBytes: number;
  /** Line breaks in the left-out output. */
  readonly omittedOutputLines: number;
}

/**
 * A build's record. Its events are kept so that a late reader of the events
 * route gets the backlog before the live events, with the step output bounded
 * as {@link KeptEvents} describes.
 */
export class BuildRecord {
  readonly id: string;
  readonly tags: readonly string[];
  readonly createdAt = Date.now();
  readonly controller = new AbortController();
  readonly events: KeptEvents;
  #state: BuildState = 'queued';
  #startedAt: number | undefined;
  #finishedAt: number | undefined;
  #imageId: string | undefined;
  #error: string | undefined;
  readonly #steps = new StepTable();
  #hasBuildError = false;
  readonly #waiters = new Set<() => void>();
  /** Readers that the build waits for, by the output cost each has read. */
  readonly #pacedReaders = new Map<object, number>();
  readonly #paceWaiters = new Set<() => void>();

  /** `maxOutputBytes` bounds the kept step output. */
  constructor(id: string, tags: readonly string[], maxOutputBytes: number) {
    this.id = id;
    this.tags = tags;
    this.events = new KeptEvents(maxOutputBytes);
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

  /** Whether a `build-error` event was pushed. */
  get hasBuildError(): boolean {
    return this.#hasBuildError;
  }

  /** Stores an event and wakes every waiting reader. */
  push(event: BuildEvent): void {
    this.events.push(event);
    this.#steps.apply(event);
    if (event.type === 'build-done') this.#imageId = event.imageId;
    if (event.type === 'build-error') this.#hasBuildError = true;
    this.#wake();
  }

  /** Ends the build in `state` at `time` and wakes every waiting reader. */
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
    this.#wake();
    this.#wakePace();
  }

  /**
   * Calls `wake` once, at the next event or at the end of the build.
   * Returns a function that cancels the call.
   */
  waitForChange(wake: () => void): () => void {
    this.#waiters.add(wake);
    return () => this.#waiters.delete(wake);
  }

  /**
   * Registers a reader that the build waits for, such as an Engine API
   * `/build` client, and returns it. The reader reports what it has read
   * with {@link readerAdvanced} and goes with {@link removePacedReader}.
   */
  addPacedReader(): object {
    const reader = {};
    this.#pacedReaders.set(reader, 0);
    return reader;
  }

  /** Records that `reader` has read output events that count `cost` more bytes. */
  readerAdvanced(reader: object, cost: number): void {
    const read = this.#pacedReaders.get(reader);
    if (read === undefined) return;
    this.#pacedReaders.set(reader, read + cost);
    this.#wakePace();
  }

  /** Stops waiting for `reader`, whose client has gone. */
  removePacedReader(reader: object): void {
    this.#pacedReaders.delete(reader);
    this.#wakePace();
  }

  /**
   * Returns a promise that settles once every paced reader is within a
   * quarter of the kept output of the newest event, or undefined when all
   * are already. The builder stops reading a RUN command's output
   * meanwhile, so a slow reader slows the command rather than missing output
   * that is left out of the kept events.
   */
  waitForPacedReaders(): Promise<void> | undefined {
    if (this.#readersKeepUp()) return undefined;
    return new Promise((resolve) => {
      const check = () => {
        if (!this.#readersKeepUp()) return;
        this.#paceWaiters.delete(check);
        resolve();
      };
      this.#paceWaiters.add(check);
    });
  }

  #readersKeepUp(): boolean {
    if (this.finished) return true;
    const limit = this.events.tailBudget / 2;
    const pushed = this.events.pushedOutputCost;
    for (const read of this.#pacedReaders.values()) if (pushed - read > limit) return false;
    return true;
  }

  #wakePace(): void {
    for (const check of [...this.#paceWaiters]) check();
  }

  /** Resolves once the build has ended. */
  async waitForEnd(): Promise<void> {
    while (!this.finished) {
      await new Promise<void>((resolve) => this.waitForChange(resolve));
    }
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
      eventCount: this.events.count,
      omittedOutputBytes: this.events.omitted.bytes,
      omittedOutputLines: this.events.omitted.lines,
    };
  }

  #wake(): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }
}
