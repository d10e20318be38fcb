/** The prune plan: entries to remove, decided from summaries alone. */
import type { CacheEntrySummary, PrunePolicy } from './cache-store.js';

/**
 * Returns the entries to remove: every entry last used before `now - maxAge`,
 * then the least recently used until at most `maxEntries` remain and their
 * total `size` is at most `maxSize`. Ties on last use go to the smaller key.
 */
export function planPrune(
  entries: readonly CacheEntrySummary[],
  policy: PrunePolicy,
): CacheEntrySummary[] {
  const now = policy.now ?? Date.now();
  const byUse = [...entries].sort(compareByUse);
  const removed: CacheEntrySummary[] = [];
  let kept = byUse.length;
  let keptSize = byUse.reduce((sum, entry) => sum + entry.size, 0);
  for (const entry of byUse) {
    const tooOld = policy.maxAge !== undefined && entry.lastUsedAt < now - policy.maxAge;
    const tooMany = policy.maxEntries !== undefined && kept > policy.maxEntries;
    const tooBig = policy.maxSize !== undefined && keptSize > policy.maxSize;
    if (!tooOld && !tooMany && !tooBig) {
      continue;
    }
    removed.push(entry);
    kept--;
    keptSize -= entry.size;
  }
  return removed;
}

/** Adds up a list of summaries into store stats. */
export function summarize(entries: readonly CacheEntrySummary[], storeBytes: number) {
  const uses = entries.map((entry) => entry.lastUsedAt);
  return {
    entries: entries.length,
    totalSize: entries.reduce((sum, entry) => sum + entry.size, 0),
    storeBytes,
    ...(uses.length > 0 ? { oldestUse: Math.min(...uses), newestUse: Math.max(...uses) } : {}),
  };
}

/** Orders by last use, oldest first, then by key. */
function compareByUse(a: CacheEntrySummary, b: CacheEntrySummary): number {
  if (a.lastUsedAt !== b.lastUsedAt) {
    return a.lastUsedAt - b.lastUsedAt;
  }
  if (a.key === b.key) {
    return 0;
  }
  return a.key < b.key ? -1 : 1;
}
