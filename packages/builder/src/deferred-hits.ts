/**
 * Checks a stage's cache hits with one engine request per run of hits.
 *
 * A hit's image was committed from a container of the image before it, and
 * the engine rejects the removal of an image that has children. So when the
 * last hit of a run still exists, every hit before it does too. The stage
 * runner trusts each hit as it comes and buffers the events of those steps.
 * It checks the last hit's image before a miss runs a container from it,
 * when a step fails, and when the stage ends. When that image is gone, the
 * runner rewinds to the first step of the run and checks each hit on its
 * own for the rest of the stage.
 */
import type { EmitEvent, EventBody } from './events.js';

/** Checks that an image exists in the engine. */
export type ImageExists = (imageId: string) => Promise<boolean>;

/** Thrown by a step whose trusted hits turned out stale; the stage runner rewinds. */
export class StaleCacheHits extends Error {
  constructor() {
    super('the image of a trusted cache hit no longer exists in the engine');
    this.name = 'StaleCacheHits';
  }
}

/** An event held back until the hits before it are checked, with the time it was emitted at. */
interface BufferedEvent {
  readonly event: EventBody;
  readonly time: number;
}

/** The trusted, not yet checked hits of one stage and the events buffered with them. */
export class DeferredHits {
  readonly #emitNow: EmitEvent;
  readonly #exists: ImageExists;
  #buffered: BufferedEvent[] | undefined;
  #lastHit: string | undefined;
  #checkEach = false;

  constructor(emitNow: EmitEvent, exists: ImageExists) {
    this.#emitNow = emitNow;
    this.#exists = exists;
  }

  /**
   * Emits an event, or buffers it while hits wait for their check. A
   * buffered event keeps the time it was emitted at.
   */
  readonly emit: EmitEvent = (event, time = Date.now()) => {
    if (this.#buffered === undefined) this.#emitNow(event, time);
    else this.#buffered.push({ event, time });
  };

  /** Whether each hit is checked on its own: after a rewind, for the rest of the stage. */
  get checkEach(): boolean {
    return this.#checkEach;
  }

  /** Whether trusted hits wait for their check. */
  get waiting(): boolean {
    return this.#lastHit !== undefined;
  }

  /** Buffers events from now on, until the next check or release. */
  startBuffering(): void {
    if (!this.#checkEach) this.#buffered ??= [];
  }

  /** Trusts a hit until the next check. */
  trust(imageId: string): void {
    this.#lastHit = imageId;
  }

  /**
   * Checks the last trusted hit and, when its image exists, emits the
   * buffered events. When it is gone, drops them, switches to checking each
   * hit, and returns false, so that the caller rewinds.
   */
  async confirm(): Promise<boolean> {
    const last = this.#lastHit;
    if (last !== undefined && !(await this.#exists(last))) {
      this.#buffered = undefined;
      this.#lastHit = undefined;
      this.#checkEach = true;
      return false;
    }
    this.release();
    return true;
  }

  /** Emits the buffered events without a check and stops buffering. */
  release(): void {
    const buffered = this.#buffered;
    this.#buffered = undefined;
    this.#lastHit = undefined;
    for (const { event, time } of buffered ?? []) this.#emitNow(event, time);
  }
}
