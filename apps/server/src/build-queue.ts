/** Admission of builds: a fixed number run at once, a bounded number wait. */
import { ServerError } from './errors.js';

/** A build's place in the {@link BuildQueue}, from admission until it ends. */
export interface QueueTicket {
  /** Waits for a run slot; rejects with the signal's reason when it aborts first. */
  start(signal: AbortSignal): Promise<void>;
  /** Frees the ticket's place or slot; calling it again does nothing. */
  release(): void;
}

/**
 * Counts admitted builds. A build keeps its place from admission (before its
 * context arrives) until it ends, so a full queue rejects a request at once,
 * before the client sends a large context.
 */
export class BuildQueue {
  readonly #maxRunning: number;
  readonly #maxWaiting: number;
  #admitted = 0;
  #running = 0;
  readonly #waiters: Array<() => void> = [];

  constructor(maxRunning: number, maxWaiting: number) {
    this.#maxRunning = maxRunning;
    this.#maxWaiting = maxWaiting;
  }

  /** Builds that hold a run slot. */
  get running(): number {
    return this.#running;
  }

  /** Admitted builds that do not run yet (receiving their context or waiting). */
  get waiting(): number {
    return this.#admitted - this.#running;
  }

  /**
   * Admits a build or throws when every slot and queue place is taken.
   *
   * @throws {ServerError} `ERR_TOO_MANY_BUILDS`
   */
  admit(): QueueTicket {
    const capacity = this.#maxRunning + this.#maxWaiting;
    if (this.#admitted >= capacity) {
      throw new ServerError(
        'ERR_TOO_MANY_BUILDS',
        `Too many builds: ${this.#running} running and ${this.waiting} waiting, the maximum ` +
          `is ${this.#maxRunning} running and ${this.#maxWaiting} waiting; retry later.`,
      );
    }
    this.#admitted++;
    return this.#ticket();
  }

  #ticket(): QueueTicket {
    let state: 'admitted' | 'running' | 'released' = 'admitted';
    return {
      start: async (signal) => {
        await this.#acquire(signal);
        if (state === 'released') {
          this.#releaseSlot();
          return;
        }
        state = 'running';
      },
      release: () => {
        if (state === 'released') return;
        if (state === 'running') this.#releaseSlot();
        state = 'released';
        this.#admitted--;
      },
    };
  }

  async #acquire(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    if (this.#running < this.#maxRunning) {
      this.#running++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const wake = () => {
        signal.removeEventListener('abort', onAbort);
        this.#running++;
        resolve();
      };
      const onAbort = () => {
        const index = this.#waiters.indexOf(wake);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(wake);
    });
  }

  #releaseSlot(): void {
    this.#running--;
    this.#waiters.shift()?.();
  }
}
