/**
 * The cache as a builder uses it: look a step up, confirm a hit's image still
 * exists, explain a miss, and record the image a step produced.
 */
import { type CacheKeyInputs, deriveCacheKey } from './cache-key.js';
import { explainMiss, type MissReason } from './explain-miss.js';
import type { CacheEntry, CacheStore } from './store/cache-store.js';
import { FileSystemStore } from './store/file-system-store.js';

/**
 * Confirms that an image still exists in the engine. Return false to drop the
 * entry and treat the lookup as a miss.
 */
export type ConfirmImage = (imageId: string, signal?: AbortSignal) => Promise<boolean>;

/** Options of {@link LayerCache}. */
export interface LayerCacheOptions {
  /** Store of the entries; a {@link FileSystemStore} in the default folder unless set. */
  readonly store?: CacheStore;
  /** Hook that checks a hit's image in the engine; every hit is trusted without one. */
  readonly confirmImage?: ConfirmImage;
  /** Clock in milliseconds; `Date.now` unless set. */
  readonly now?: () => number;
}

/** A lookup that found a usable image. */
export interface CacheHit {
  readonly hit: true;
  readonly key: string;
  readonly entry: CacheEntry;
}

/** A lookup that found nothing usable, with the reasons. */
export interface CacheMiss {
  readonly hit: false;
  readonly key: string;
  /** Reasons for the miss, compared with the previous build of the same step. */
  readonly reasons: readonly MissReason[];
}

/** Options of {@link LayerCache.lookup}. */
export interface LookupOptions {
  /** Step id (see `stepId`) of the step. */
  readonly step: string;
  /** The step's cache-key inputs. */
  readonly inputs: CacheKeyInputs;
  readonly signal?: AbortSignal;
  /**
   * Whether to check a hit's image with the `confirmImage` hook; default
   * true. A builder that checks a later image of the same chain instead (an
   * image with children cannot be deleted) passes false.
   */
  readonly confirm?: boolean;
}

/** Options of {@link LayerCache.record}. */
export interface RecordOptions extends Omit<LookupOptions, 'confirm'> {
  /** Id of the image the step produced. */
  readonly imageId: string;
  /** Image size in bytes as the engine reports it. */
  readonly size: number;
  /** The step as written, for `gantry cache ls`. */
  readonly stepText: string;
}

/**
 * Cache lookups and records for a builder.
 *
 * @example
 * ```ts
 * const cache = new LayerCache({ confirmImage: (id) => images.exists(id) });
 * const found = await cache.lookup({ step, inputs });
 * if (!found.hit) for (const reason of found.reasons) log(reason.message);
 * ```
 */
export class LayerCache {
  /** The store in use. */
  readonly store: CacheStore;
  private readonly confirmImage: ConfirmImage | undefined;
  private readonly now: () => number;
  /** Bookkeeping of hits still in flight; see {@link LayerCache.flush}. */
  private readonly pending = new Set<Promise<void>>();

  constructor(options: LayerCacheOptions = {}) {
    this.store = options.store ?? new FileSystemStore();
    this.confirmImage = options.confirmImage;
    this.now = options.now ?? Date.now;
  }

  /**
   * Derives the step's key and looks it up. A hit whose image the hook no
   * longer finds is deleted and reported as an `image-missing` miss, unless
   * `confirm` is false, which returns the entry unchecked. A hit
   * updates the entry's last-used time and the step's latest build without
   * delaying the caller; {@link LayerCache.flush} waits for those writes.
   */
  async lookup(options: LookupOptions): Promise<CacheHit | CacheMiss> {
    const { key } = deriveCacheKey(options.inputs);
    const entry = await this.store.get(key);
    const usable =
      entry !== undefined &&
      (options.confirm === false || (await this.imageExists(entry.imageId, options.signal)));
    if (usable) {
      this.defer(this.markUsed(options.step, key));
      return { hit: true, key, entry };
    }
    if (entry !== undefined) {
      await this.store.delete(key);
      const message = `cached image ${entry.imageId} no longer exists in the engine`;
      return {
        hit: false,
        key,
        reasons: [{ kind: 'image-missing', imageId: entry.imageId, message }],
      };
    }
    const previous = await this.store.latest(options.step);
    return { hit: false, key, reasons: explainMiss(previous?.inputs, options.inputs) };
  }

  /** Stores the image a step produced under its key and marks it the step's latest build. */
  async record(options: RecordOptions): Promise<CacheEntry> {
    return this.put(deriveCacheKey(options.inputs).key, options);
  }

  /** Writes the entry of a step under a key derived already. */
  private async put(key: string, options: RecordOptions): Promise<CacheEntry> {
    const now = this.now();
    const entry: CacheEntry = {
      key,
      imageId: options.imageId,
      createdAt: now,
      lastUsedAt: now,
      size: options.size,
      stepText: options.stepText,
      step: options.step,
      inputs: options.inputs,
    };
    await this.store.put(entry);
    return entry;
  }

  /**
   * Records like {@link LayerCache.record} without delaying the caller: the
   * entry is written once `size` resolves, and {@link LayerCache.flush}
   * waits for it. A builder uses it to go on to the next step while the
   * engine reports the committed image's size. Returns the entry's key.
   */
  recordLater(options: Omit<RecordOptions, 'size'>, size: Promise<number>): string {
    const { key } = deriveCacheKey(options.inputs);
    this.defer(size.then(async (bytes) => void (await this.put(key, { ...options, size: bytes }))));
    return key;
  }

  /**
   * Waits for the bookkeeping of earlier hits (their last-used times and the
   * steps' latest builds, which a hit writes while the build goes on) and for
   * the entries of {@link LayerCache.recordLater}.
   * Rejects with the first failure once all have settled.
   */
  async flush(): Promise<void> {
    const outcomes = await Promise.allSettled([...this.pending]);
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }

  private async markUsed(step: string, key: string): Promise<void> {
    await this.store.touch(key, this.now());
    await this.store.markLatest(step, key);
  }

  private defer(work: Promise<void>): void {
    const tracked = work.finally(() => this.pending.delete(tracked));
    // A handler here keeps a failure from being an unhandled rejection; flush reports it.
    tracked.catch(() => {});
    this.pending.add(tracked);
  }

  /**
   * Checks an image with the `confirmImage` hook: for a builder that looked
   * hits up with `confirm: false` and checks the last of a chain. True
   * without a hook.
   */
  async imageExists(imageId: string, signal?: AbortSignal): Promise<boolean> {
    return this.confirmImage === undefined ? true : this.confirmImage(imageId, signal);
  }
}
