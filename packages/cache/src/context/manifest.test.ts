import { lstatSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  decodeRecord,
  encodeLine,
  type ManifestLine,
  parseLine,
  reusableDigest,
  stampOf,
} from './manifest.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const stats = lstatSync(fileURLToPath(import.meta.url), { bigint: true });

describe('manifest stamps', () => {
  it('decodes mode and size from a stamp', () => {
    const line = encodeLine('a/b.txt', stampOf('file', stats), true, DIGEST, null);
    const record = decodeRecord(line);
    expect(record?.stMode).toBe(Number(stats.mode));
    expect(record?.size).toBe(Number(stats.size));
    expect(record?.trusted).toBe(true);
  });

  it('rejects a stamp of the wrong length', () => {
    const stamp = stampOf('file', stats).slice(0, -4);
    expect(decodeRecord(encodeLine('a', stamp, true, DIGEST, null))).toBeUndefined();
  });

  it('reuses a digest only for an equal trusted stamp', () => {
    const stamp = stampOf('file', stats);
    const trusted = parseLine(encodeLine('a', stamp, true, DIGEST, null)) as ManifestLine;
    const untrusted = parseLine(encodeLine('a', stamp, false, DIGEST, null)) as ManifestLine;
    const touched = stampOf('file', { ...stats, mtimeNs: stats.mtimeNs + 1n });
    expect(reusableDigest(trusted, stamp)).toBe(DIGEST);
    expect(reusableDigest(untrusted, stamp)).toBeUndefined();
    expect(reusableDigest(trusted, touched)).toBeUndefined();
  });

  it('changes the stamp for each compared field', () => {
    const stamp = stampOf('file', stats);
    for (const field of ['mode', 'size', 'ino', 'dev', 'mtimeNs', 'ctimeNs'] as const) {
      const changed = { ...stats, [field]: stats[field] + 1n };
      expect(stampOf('file', changed), field).not.toBe(stamp);
    }
  });
});
