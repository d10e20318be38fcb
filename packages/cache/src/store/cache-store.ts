/** The cache-store interface and the records it keeps. */
import type { CacheKeyInputs } from '../cache-key.js';

/** The part of an entry that `gantry cache ls` shows. */
export interface CacheEntrySummary {
  /** Cache key, `sha256:<hex>`. */
  readonly key: string;
  /** Id of the image the step produced. */
  readonly imageId: string;
  /** Creation time, milliseconds since the Unix epoch. */
  readonly createdAt: number;
  /** Time of the last hit (or creation), milliseconds since the Unix epoch. */
  readonly lastUsedAt: number;
  /** Size in bytes that the builder reported for the image. */
  readonly size: number;
  /** The step as written, for example `COPY ./website/. .`. */
  readonly stepText: string;
  /** Step id (see `stepId`) of the step that produced the entry. */
  readonly step: string;
}

/** A cache entry with the inputs its key was derived from. */
export interface CacheEntry extends CacheEntrySummary {
  /** The key's inputs, kept to explain later misses of the same step. */
  readonly inputs: CacheKeyInputs;
}

/** Limits for {@link CacheStore.prune}; each limit applies when set. */
export interface PrunePolicy {
  /** Remove entries last used longer ago than this, in milliseconds. */
  readonly maxAge?: number;
  /** Keep at most this many entries, removing the least recently used first. */
  readonly maxEntries?: number;
  /** Keep the total `size` at most this many bytes, least recently used removed first. */
  readonly maxSize?: number;
  /** Current time in milliseconds; `Date.now()` unless set. */
  readonly now?: number;
}

/** Counts and sizes of a store's entries. */
export interface StoreStats {
  readonly entries: number;
  /** Sum of the entries' `size`, in bytes. */
  readonly totalSize: number;
  /** Bytes the store's own files take (0 for the in-memory store). */
  readonly storeBytes: number;
  /** Last-used time of the least and most recently used entries; undefined when empty. */
  readonly oldestUse?: number;
  readonly newestUse?: number;
}

/**
 * A map from cache keys to images. Implementations are safe for concurrent
 * callers; a damaged entry reads as a miss.
 */
export interface CacheStore {
  /** Returns the entry of `key`, or undefined on a miss. Does not count as a use. */
  get(key: string): Promise<CacheEntry | undefined>;
  /** Stores an entry, replacing any entry of the same key, and marks it its step's latest. */
  put(entry: CacheEntry): Promise<void>;
  /** Removes an entry; returns whether it existed. */
  delete(key: string): Promise<boolean>;
  /** Sets an entry's last-used time (now unless given). */
  touch(key: string, at?: number): Promise<void>;
  /** Streams the summaries of all entries, in no particular order. */
  list(): AsyncIterable<CacheEntrySummary>;
  /** Removes entries by age, count and total size; returns the removed summaries. */
  prune(policy: PrunePolicy): Promise<CacheEntrySummary[]>;
  /** Counts entries and sizes. */
  stats(): Promise<StoreStats>;
  /** Returns the entry most recently stored or hit for a step id, if it still exists. */
  latest(step: string): Promise<CacheEntry | undefined>;
  /** Records `key` as the latest build of `step`. */
  markLatest(step: string, key: string): Promise<void>;
}
