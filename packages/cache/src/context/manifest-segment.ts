/**
 * One segment of the context manifest: a run of consecutive entries of one
 * folder, in walk order, stored in columns. A walk that finds the folder
 * unchanged compares each entry's name and packed `lstat` fields with the
 * columns, and feeds the stored root-hash lines to the hash as one block,
 * so no per-entry text is built.
 *
 * Layout, every section after the header in order. Header integers are
 * little-endian, and the columns are in the machine's byte order, because they
 * are read as typed arrays and the stat cache never leaves the machine:
 *
 * | bytes           | content                                                |
 * | --------------- | ------------------------------------------------------ |
 * | 32              | header: magic, byte length, entry count, the byte      |
 * |                 | lengths of folder, names, lines and targets, zero      |
 * | 48 × count      | `lstat` fields of each entry (see `stat-fields.ts`)    |
 * | 4 × count       | end offset of each entry's root-hash line              |
 * | 4 × count       | end offset of each entry's symlink target              |
 * | 1 × count       | flags: the entry type in bits 0–1, trusted in bit 2    |
 * | folder          | the folder's path relative to the context, UTF-8       |
 * | names           | the entry names, UTF-8, separated by NUL               |
 * | lines           | root-hash lines, `<path as JSON> <type> <mode> <digest>\n` |
 * | targets         | symlink targets, UTF-8                                 |
 * | 0 to 7          | zero padding to a multiple of 8                        |
 */
import type { EntryType } from './context-entry.js';
import { STAT_BYTES, STAT_WORDS } from './stat-fields.js';

/** First word of every segment, `GSG1` read as a little-endian integer. */
const SEGMENT_MAGIC = 0x31475347;
/** Bytes of the segment header. */
export const SEGMENT_HEADER_BYTES = 32;

/** Flag bit of an entry whose digest may be reused when its fields match. */
export const TRUSTED = 0b100;
const TYPE_MASK = 0b11;
const TYPES: readonly EntryType[] = ['file', 'dir', 'symlink', 'other'];

/** Returns the flags byte of an entry. */
export function entryFlags(type: EntryType, trusted: boolean): number {
  return TYPES.indexOf(type) | (trusted ? TRUSTED : 0);
}

/** Returns the entry type stored in a flags byte. */
export function flagsType(flags: number): EntryType {
  return TYPES[flags & TYPE_MASK] as EntryType;
}

/** A decoded segment. Its columns are views on `raw`, which is never changed. */
export interface Segment {
  /** The segment's bytes as stored, header and padding included. */
  readonly raw: Buffer;
  /** Byte offset of the segment in the manifest file it was read from. */
  readonly offset: number;
  /** Folder of every entry, relative to the context root; empty for the root. */
  readonly folder: string;
  readonly count: number;
  readonly names: readonly string[];
  /** `STAT_WORDS` 32-bit words per entry. */
  readonly stats: Int32Array;
  readonly flags: Uint8Array;
  /** End offset of each entry's line in `lines`; a line starts where the previous ends. */
  readonly lineEnds: Uint32Array;
  readonly lines: Buffer;
  /** End offset of each entry's target in `targets`. */
  readonly targetEnds: Uint32Array;
  readonly targets: Buffer;
}

/**
 * Returns the byte length a segment header at `offset` declares, or
 * undefined when the bytes there are not a segment header.
 */
export function segmentLength(buffer: Buffer, offset: number): number | undefined {
  if (offset + SEGMENT_HEADER_BYTES > buffer.length) {
    return undefined;
  }
  if (buffer.readUInt32LE(offset) !== SEGMENT_MAGIC) {
    return undefined;
  }
  const length = buffer.readUInt32LE(offset + 4);
  return length >= SEGMENT_HEADER_BYTES && length % 8 === 0 ? length : undefined;
}

/**
 * Decodes a segment whose bytes `raw` start at an 8-byte aligned address.
 * Returns undefined when the sections do not add up, an offset runs past its
 * section or a line does not end in a newline, so a truncated or garbled
 * manifest ends the stat cache there instead of failing the digest.
 */
export function decodeSegment(raw: Buffer, offset: number): Segment | undefined {
  const count = raw.readUInt32LE(8);
  const sizes = [3, 4, 5, 6].map((word) => raw.readUInt32LE(word * 4));
  const [folderBytes = 0, namesBytes = 0, linesBytes = 0, targetsBytes = 0] = sizes;
  const columnsEnd = SEGMENT_HEADER_BYTES + count * (STAT_BYTES + 9);
  const end = columnsEnd + folderBytes + namesBytes + linesBytes + targetsBytes;
  if (count === 0 || padded(end) !== raw.length || raw.readUInt32LE(28) !== 0) {
    return undefined;
  }
  const at = raw.byteOffset;
  const lineEndsAt = SEGMENT_HEADER_BYTES + count * STAT_BYTES;
  const namesAt = columnsEnd + folderBytes;
  const linesAt = namesAt + namesBytes;
  const segment: Segment = {
    raw,
    offset,
    folder: raw.toString('utf8', columnsEnd, namesAt),
    count,
    names: raw.toString('utf8', namesAt, linesAt).split('\0'),
    stats: new Int32Array(raw.buffer, at + SEGMENT_HEADER_BYTES, count * STAT_WORDS),
    flags: raw.subarray(lineEndsAt + count * 8, columnsEnd),
    lineEnds: new Uint32Array(raw.buffer, at + lineEndsAt, count),
    lines: raw.subarray(linesAt, linesAt + linesBytes),
    targetEnds: new Uint32Array(raw.buffer, at + lineEndsAt + count * 4, count),
    targets: raw.subarray(linesAt + linesBytes, end),
  };
  return isConsistent(segment) ? segment : undefined;
}

function isConsistent(segment: Segment): boolean {
  const { count, lineEnds, lines, targetEnds } = segment;
  if (segment.names.length !== count || targetEnds[count - 1] !== segment.targets.length) {
    return false;
  }
  let lineStart = 0;
  let targetStart = 0;
  for (let index = 0; index < count; index++) {
    const lineEnd = lineEnds[index] as number;
    const targetEnd = targetEnds[index] as number;
    const validLine = lineEnd > lineStart && lineEnd <= lines.length && lines[lineEnd - 1] === 0x0a;
    if (!validLine || targetEnd < targetStart) {
      return false;
    }
    lineStart = lineEnd;
    targetStart = targetEnd;
  }
  return lineStart === lines.length;
}

/** Rounds a byte count up to a multiple of 8. */
function padded(bytes: number): number {
  return Math.ceil(bytes / 8) * 8;
}

/** One entry to encode: either copied from a decoded segment or new. */
export interface SegmentEntry {
  readonly name: string;
  /** `STAT_WORDS` words, as `packStats` returns them. */
  readonly stats: Int32Array;
  readonly flags: number;
  /** Root-hash line, newline included. */
  readonly line: string | Buffer;
  readonly target: string | null;
}

/** Returns entry `index` of a decoded segment in the form {@link SegmentEncoder.encode} takes. */
export function segmentEntry(segment: Segment, index: number): SegmentEntry {
  const words = segment.stats.subarray(index * STAT_WORDS, (index + 1) * STAT_WORDS);
  const targetStart = index === 0 ? 0 : (segment.targetEnds[index - 1] as number);
  const targetEnd = segment.targetEnds[index] as number;
  return {
    name: segment.names[index] as string,
    stats: words,
    flags: segment.flags[index] as number,
    line: segment.lines.subarray(lineStart(segment, index), segment.lineEnds[index]),
    target:
      targetEnd > targetStart ? segment.targets.toString('utf8', targetStart, targetEnd) : null,
  };
}

/** Returns the offset in `segment.lines` where entry `index`'s line starts. */
export function lineStart(segment: Segment, index: number): number {
  return index === 0 ? 0 : (segment.lineEnds[index - 1] as number);
}

/**
 * Encodes segments into one reused buffer, so that writing a manifest does
 * not allocate memory outside the JavaScript heap for every segment.
 */
export class SegmentEncoder {
  private buffer = Buffer.allocUnsafeSlow(0);

  /**
   * Encodes the entries of one folder, in walk order, as a segment. The
   * returned bytes are valid until the next call.
   */
  encode(folder: string, entries: readonly SegmentEntry[]): Buffer {
    const count = entries.length;
    const names = entries.map((entry) => entry.name).join('\0');
    const lineBytes = entries.map((entry) => byteLength(entry.line));
    const targetBytes = entries.map((entry) => byteLength(entry.target ?? ''));
    const sizes = [folder, names].map((text) => Buffer.byteLength(text));
    sizes.push(sum(lineBytes), sum(targetBytes));
    const columnsEnd = SEGMENT_HEADER_BYTES + count * (STAT_BYTES + 9);
    const raw = this.zeroed(padded(columnsEnd + sum(sizes)));
    [SEGMENT_MAGIC, raw.length, count, ...sizes, 0].forEach((word, index) => {
      raw.writeUInt32LE(word, index * 4);
    });
    writeColumns(raw, entries, lineBytes, targetBytes);
    let at = columnsEnd;
    at += raw.write(folder, at);
    at += raw.write(names, at);
    for (const entry of entries) {
      at += typeof entry.line === 'string' ? raw.write(entry.line, at) : entry.line.copy(raw, at);
    }
    for (const entry of entries) {
      at += raw.write(entry.target ?? '', at);
    }
    return raw;
  }

  /** Returns `length` zero bytes at the start of the buffer, which starts 8-byte aligned. */
  private zeroed(length: number): Buffer {
    if (this.buffer.length < length) {
      this.buffer = Buffer.allocUnsafeSlow(Math.max(length, this.buffer.length * 2));
    }
    return this.buffer.subarray(0, length).fill(0);
  }
}

function writeColumns(
  raw: Buffer,
  entries: readonly SegmentEntry[],
  lineBytes: readonly number[],
  targetBytes: readonly number[],
): void {
  const count = entries.length;
  const lineEndsAt = SEGMENT_HEADER_BYTES + count * STAT_BYTES;
  const stats = new Int32Array(
    raw.buffer,
    raw.byteOffset + SEGMENT_HEADER_BYTES,
    count * STAT_WORDS,
  );
  const ends = new Uint32Array(raw.buffer, raw.byteOffset + lineEndsAt, count * 2);
  let lineEnd = 0;
  let targetEnd = 0;
  entries.forEach((entry, index) => {
    stats.set(entry.stats, index * STAT_WORDS);
    lineEnd += lineBytes[index] as number;
    targetEnd += targetBytes[index] as number;
    ends[index] = lineEnd;
    ends[count + index] = targetEnd;
    raw[lineEndsAt + count * 8 + index] = entry.flags;
  });
}

function byteLength(text: string | Buffer): number {
  return typeof text === 'string' ? Buffer.byteLength(text) : text.length;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
