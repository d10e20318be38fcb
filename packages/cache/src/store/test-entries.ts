/** Cache entries for the store tests. */
import type { CacheKeyInputs } from '../cache-key.js';
import type { CacheEntry } from './cache-store.js';

const INPUTS: CacheKeyInputs = {
  parent: 'sha256:p',
  platform: 'linux/amd64',
  instruction: 'RUN',
  arguments: ['make'],
};

/** Builds an entry with key `sha256:<n repeated>`, last used at `n` seconds. */
export function entry(n: number, overrides: Partial<CacheEntry> = {}): CacheEntry {
  const hex = n.toString(16).padStart(2, '0').repeat(32);
  return {
    key: `sha256:${hex}`,
    imageId: `sha256:${'9'.repeat(64)}`,
    createdAt: n * 1000,
    lastUsedAt: n * 1000,
    size: 100 * n,
    stepText: `RUN make ${n}`,
    step: `sha256:${'5'.repeat(64)}`,
    inputs: INPUTS,
    ...overrides,
  };
}
