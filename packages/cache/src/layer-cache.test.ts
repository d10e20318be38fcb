import { describe, expect, it } from 'vitest';
import type { CacheKeyInputs } from './cache-key.js';
import { LayerCache } from './layer-cache.js';
import { stepId } from './step-id.js';
import { MemoryStore } from './store/memory-store.js';

const STEP = stepId({ scope: '/ctx:Dockerfile', stage: '0', index: 1, instruction: 'RUN' });
const INPUTS: CacheKeyInputs = {
  parent: 'sha256:p',
  platform: 'linux/amd64',
  instruction: 'RUN',
  arguments: ['make'],
  buildArgs: { VERSION: '1.2' },
};
const RECORD = {
  step: STEP,
  inputs: INPUTS,
  imageId: 'sha256:img',
  size: 10,
  stepText: 'RUN make',
};

/** Makes a cache whose hook finds no image and records each image it checks. */
function cacheOfRemovedImages() {
  const store = new MemoryStore();
  const checked: string[] = [];
  const confirmImage = async (id: string) => {
    checked.push(id);
    return false;
  };
  return { store, checked, cache: new LayerCache({ store, confirmImage }) };
}

describe('LayerCache', () => {
  it('misses a first build with a reason', async () => {
    const cache = new LayerCache({ store: new MemoryStore() });
    const result = await cache.lookup({ step: STEP, inputs: INPUTS });
    expect(result).toMatchObject({ hit: false, reasons: [{ kind: 'no-previous-build' }] });
  });

  it('hits after a record', async () => {
    const cache = new LayerCache({ store: new MemoryStore(), now: () => 5 });
    await cache.record(RECORD);
    const result = await cache.lookup({ step: STEP, inputs: INPUTS });
    expect(result).toMatchObject({ hit: true, entry: { imageId: 'sha256:img', createdAt: 5 } });
  });

  it('explains a miss against the previous build', async () => {
    const cache = new LayerCache({ store: new MemoryStore() });
    await cache.record(RECORD);
    const inputs = { ...INPUTS, buildArgs: { VERSION: '1.3' } };
    const result = await cache.lookup({ step: STEP, inputs });
    expect(result.hit).toBe(false);
    expect(result.hit ? [] : result.reasons.map((reason) => reason.message)).toEqual([
      'build arg VERSION changed from 1.2 to 1.3',
    ]);
  });

  it('drops a hit whose image is gone', async () => {
    const { store, checked, cache } = cacheOfRemovedImages();
    const { key } = await cache.record(RECORD);
    const result = await cache.lookup({ step: STEP, inputs: INPUTS });
    expect(result).toMatchObject({ hit: false, reasons: [{ kind: 'image-missing' }] });
    expect(checked).toEqual(['sha256:img']);
    expect(await store.get(key)).toBeUndefined();
  });

  it('returns a hit unchecked when confirm is false', async () => {
    const { store, checked, cache } = cacheOfRemovedImages();
    const { key } = await cache.record(RECORD);
    const result = await cache.lookup({ step: STEP, inputs: INPUTS, confirm: false });
    expect(result).toMatchObject({ hit: true, entry: { imageId: 'sha256:img' } });
    expect(checked).toEqual([]);
    expect(await store.get(key)).toBeDefined();
  });

  it('updates last use on a hit', async () => {
    const store = new MemoryStore();
    let now = 1;
    const cache = new LayerCache({ store, now: () => now });
    const { key } = await cache.record(RECORD);
    now = 7;
    await cache.lookup({ step: STEP, inputs: INPUTS });
    await cache.flush();
    expect((await store.get(key))?.lastUsedAt).toBe(7);
  });

  it('marks a hit the latest build of its step', async () => {
    const store = new MemoryStore();
    const cache = new LayerCache({ store });
    const { key } = await cache.record(RECORD);
    await store.markLatest(STEP, 'sha256:other');
    await cache.lookup({ step: STEP, inputs: INPUTS });
    await cache.flush();
    expect((await store.latest(STEP))?.key).toBe(key);
  });

  it('reports a failed bookkeeping write at flush', async () => {
    const store = new MemoryStore();
    const cache = new LayerCache({ store });
    await cache.record(RECORD);
    const failure = new Error('disk full');
    store.touch = async () => {
      throw failure;
    };
    const result = await cache.lookup({ step: STEP, inputs: INPUTS });
    expect(result.hit).toBe(true);
    await expect(cache.flush()).rejects.toBe(failure);
    await expect(cache.flush()).resolves.toBeUndefined();
  });
});

describe('LayerCache.recordLater', () => {
  it('writes the entry once the size is known', async () => {
    const store = new MemoryStore();
    const cache = new LayerCache({ store });
    let reportSize: (bytes: number) => void = () => {};
    const size = new Promise<number>((resolve) => {
      reportSize = resolve;
    });
    const { size: _size, ...withoutSize } = RECORD;
    cache.recordLater(withoutSize, size);
    expect((await cache.lookup({ step: STEP, inputs: INPUTS })).hit).toBe(false);
    reportSize(42);
    await cache.flush();
    const found = await cache.lookup({ step: STEP, inputs: INPUTS });
    expect(found.hit ? found.entry.size : undefined).toBe(42);
  });

  it('reports a failed size request at flush', async () => {
    const cache = new LayerCache({ store: new MemoryStore() });
    const failure = new Error('no such image');
    const { size: _size, ...withoutSize } = RECORD;
    cache.recordLater(withoutSize, Promise.reject(failure));
    await expect(cache.flush()).rejects.toBe(failure);
  });
});

describe('stepId', () => {
  it('differs by stage, index, kind and scope', () => {
    const base = { scope: 's', stage: 'build', index: 0, instruction: 'RUN' };
    const ids = new Set([
      stepId(base),
      stepId({ ...base, scope: 't' }),
      stepId({ ...base, stage: 'final' }),
      stepId({ ...base, index: 1 }),
      stepId({ ...base, instruction: 'COPY' }),
    ]);
    expect(ids.size).toBe(5);
    expect(stepId({ ...base })).toBe(stepId(base));
  });
});
