import { lstatSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  decodeSegment,
  entryFlags,
  flagsType,
  type Segment,
  SegmentEncoder,
  type SegmentEntry,
  segmentEntry,
  segmentLength,
  TRUSTED,
} from './manifest-segment.js';
import { packStats, sameStatWords } from './stat-fields.js';

const stats = lstatSync(fileURLToPath(import.meta.url), { bigint: true });
const DIGEST = `sha256:${'ab'.repeat(32)}`;

const ENTRIES: SegmentEntry[] = [
  {
    name: 'index.html',
    stats: packStats(stats).slice(),
    flags: entryFlags('file', true),
    line: `"web/index.html" file 420 ${DIGEST}\n`,
    target: null,
  },
  {
    name: 'lien-é',
    stats: packStats({ ...stats, mode: 0o120777n }).slice(),
    flags: entryFlags('symlink', false),
    line: Buffer.from(`"web/lien-é" symlink 511 ${DIGEST}\n`),
    target: '../a.txt',
  },
];

/** Encodes a segment with an encoder of its own, so the bytes stay valid. */
function encodeSegment(folder: string, entries: readonly SegmentEntry[]): Buffer {
  return new SegmentEncoder().encode(folder, entries);
}

function decoded(raw: Buffer): Segment {
  const segment = decodeSegment(raw, 32);
  if (segment === undefined) {
    throw new Error('segment did not decode');
  }
  return segment;
}

describe('manifest segments', () => {
  it('round-trips folder, names and columns', () => {
    const segment = decoded(encodeSegment('web', ENTRIES));
    expect(segment.folder).toBe('web');
    expect(segment.names).toEqual(['index.html', 'lien-é']);
    expect(flagsType(segment.flags[1] as number)).toBe('symlink');
    expect((segment.flags[0] as number) & TRUSTED).toBe(TRUSTED);
    expect((segment.flags[1] as number) & TRUSTED).toBe(0);
    expect(sameStatWords(segment.stats, 0, packStats(stats))).toBe(true);
    expect(sameStatWords(segment.stats, 1, packStats(stats))).toBe(false);
  });

  it('gives back entries that encode to the same bytes', () => {
    const raw = encodeSegment('web', ENTRIES);
    const segment = decoded(raw);
    const copies = [0, 1].map((index) => segmentEntry(segment, index));
    expect(copies[1]?.target).toBe('../a.txt');
    expect(copies[0]?.target).toBeNull();
    expect(encodeSegment('web', copies).equals(raw)).toBe(true);
  });

  it('pads to a multiple of 8 bytes', () => {
    const raw = encodeSegment('', ENTRIES);
    expect(raw.length % 8).toBe(0);
    expect(segmentLength(raw, 0)).toBe(raw.length);
  });

  it('rejects a truncated segment', () => {
    const raw = encodeSegment('web', ENTRIES);
    const truncated = Buffer.alloc(raw.length - 8);
    raw.copy(truncated, 0, 0, truncated.length);
    expect(decodeSegment(truncated, 32)).toBeUndefined();
  });

  it('rejects a line without its newline', () => {
    const raw = encodeSegment('web', ENTRIES);
    const newline = raw.indexOf(`${DIGEST}\n`) + DIGEST.length;
    raw[newline] = 0x20;
    expect(decodeSegment(raw, 32)).toBeUndefined();
  });

  it('rejects a count that does not match the names', () => {
    const raw = encodeSegment('web', ENTRIES);
    raw.writeUInt32LE(1, 8);
    expect(decodeSegment(raw, 32)).toBeUndefined();
  });

  it('reads no length from a wrong magic', () => {
    const raw = encodeSegment('web', ENTRIES);
    raw[0] = 0;
    expect(segmentLength(raw, 0)).toBeUndefined();
  });
});

describe('stat fields', () => {
  it('differ for each compared field', () => {
    const packed = packStats(stats).slice();
    for (const field of ['mode', 'size', 'ino', 'dev', 'mtimeNs', 'ctimeNs'] as const) {
      const changed = packStats({ ...stats, [field]: stats[field] + 1n });
      expect(sameStatWords(packed, 0, changed), field).toBe(false);
    }
  });

  it('ignore the access time', () => {
    const packed = packStats(stats).slice();
    expect(sameStatWords(packed, 0, packStats({ ...stats, atimeNs: stats.atimeNs + 1n }))).toBe(
      true,
    );
  });
});
