import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { temporaryFolder } from '../context/test-fixtures.js';
import type { CacheStore } from './cache-store.js';
import { FileSystemStore } from './file-system-store.js';
import { MemoryStore } from './memory-store.js';
import { entry } from './test-entries.js';

let folder: Awaited<ReturnType<typeof temporaryFolder>>;

beforeEach(async () => {
  folder = await temporaryFolder('store');
});

afterEach(async () => {
  await folder.remove();
});

const factories: [string, () => CacheStore][] = [
  ['MemoryStore', () => new MemoryStore()],
  ['FileSystemStore', () => new FileSystemStore({ root: folder.path })],
];

describe.each(factories)('%s', (_name, create) => {
  it('returns what was put', async () => {
    const store = create();
    await store.put(entry(1));
    expect(await store.get(entry(1).key)).toEqual(entry(1));
  });

  it('misses an unknown key', async () => {
    expect(await create().get(entry(2).key)).toBeUndefined();
  });

  it('deletes an entry', async () => {
    const store = create();
    await store.put(entry(1));
    expect(await store.delete(entry(1).key)).toBe(true);
    expect(await store.delete(entry(1).key)).toBe(false);
    expect(await store.get(entry(1).key)).toBeUndefined();
  });

  it('lists summaries without inputs', async () => {
    const store = create();
    await store.put(entry(1));
    await store.put(entry(2));
    const keys: string[] = [];
    for await (const summary of store.list()) {
      expect(summary).not.toHaveProperty('inputs');
      keys.push(summary.key);
    }
    expect(keys.sort()).toEqual([entry(1).key, entry(2).key]);
  });

  it('updates the last-used time on touch', async () => {
    const store = create();
    await store.put(entry(1));
    await store.touch(entry(1).key, 50_000);
    expect((await store.get(entry(1).key))?.lastUsedAt).toBe(50_000);
  });

  it('prunes by age', async () => {
    const store = create();
    for (const n of [1, 2, 3]) {
      await store.put(entry(n));
    }
    const removed = await store.prune({ maxAge: 1500, now: 3000 });
    expect(removed.map((summary) => summary.key)).toEqual([entry(1).key]);
  });

  it('prunes by count, least recently used first', async () => {
    const store = create();
    for (const n of [3, 1, 2]) {
      await store.put(entry(n));
    }
    await store.touch(entry(1).key, 9000);
    const removed = await store.prune({ maxEntries: 1 });
    expect(removed.map((summary) => summary.key)).toEqual([entry(2).key, entry(3).key]);
    expect((await store.stats()).entries).toBe(1);
  });

  it('prunes by total size', async () => {
    const store = create();
    for (const n of [1, 2, 3]) {
      await store.put(entry(n));
    }
    const removed = await store.prune({ maxSize: 500 });
    expect(removed.map((summary) => summary.key)).toEqual([entry(1).key]);
    expect((await store.stats()).totalSize).toBe(500);
  });

  it('counts entries and sizes', async () => {
    const store = create();
    await store.put(entry(1));
    await store.put(entry(2));
    const stats = await store.stats();
    expect(stats).toMatchObject({ entries: 2, totalSize: 300, oldestUse: 1000, newestUse: 2000 });
  });

  it('returns the latest entry of a step', async () => {
    const store = create();
    await store.put(entry(1));
    await store.put(entry(2));
    expect((await store.latest(entry(1).step))?.key).toBe(entry(2).key);
    await store.markLatest(entry(1).step, entry(1).key);
    expect((await store.latest(entry(1).step))?.key).toBe(entry(1).key);
  });

  it('returns no latest entry for an unknown step', async () => {
    expect(await create().latest(`sha256:${'0'.repeat(64)}`)).toBeUndefined();
  });
});
