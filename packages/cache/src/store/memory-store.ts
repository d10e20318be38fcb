/** A cache store in process memory, for tests and short-lived builds. */
import type {
  CacheEntry,
  CacheEntrySummary,
  CacheStore,
  PrunePolicy,
  StoreStats,
} from './cache-store.js';
import { planPrune, summarize } from './prune-plan.js';

/** A {@link CacheStore} that keeps entries in a `Map`; nothing survives the process. */
export class MemoryStore implements CacheStore {
  private readonly entries = new Map<string, CacheEntry>();
  private readonly steps = new Map<string, string>();

  async get(key: string): Promise<CacheEntry | undefined> {
    return this.entries.get(key);
  }

  async put(entry: CacheEntry): Promise<void> {
    this.entries.set(entry.key, entry);
    this.steps.set(entry.step, entry.key);
  }

  async delete(key: string): Promise<boolean> {
    return this.entries.delete(key);
  }

  async touch(key: string, at: number = Date.now()): Promise<void> {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      this.entries.set(key, { ...entry, lastUsedAt: at });
    }
  }

  async *list(): AsyncIterable<CacheEntrySummary> {
    for (const entry of [...this.entries.values()]) {
      yield summaryOf(entry);
    }
  }

  async prune(policy: PrunePolicy): Promise<CacheEntrySummary[]> {
    const removed = planPrune([...this.entries.values()], policy);
    for (const entry of removed) {
      this.entries.delete(entry.key);
    }
    return removed.map(summaryOf);
  }

  async stats(): Promise<StoreStats> {
    return summarize([...this.entries.values()], 0);
  }

  async latest(step: string): Promise<CacheEntry | undefined> {
    const key = this.steps.get(step);
    return key === undefined ? undefined : this.entries.get(key);
  }

  async markLatest(step: string, key: string): Promise<void> {
    this.steps.set(step, key);
  }
}

function summaryOf(entry: CacheEntrySummary): CacheEntrySummary {
  const { key, imageId, createdAt, lastUsedAt, size, stepText, step } = entry;
  return { key, imageId, createdAt, lastUsedAt, size, stepText, step };
}
