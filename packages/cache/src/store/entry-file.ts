/**
 * The on-disk form of a cache entry: line 1 is the summary as JSON, line 2 the
 * key inputs as JSON, and the file ends with a newline. `gantry cache ls` reads
 * line 1 only. The last-used time is the file's mtime, so a hit updates it with
 * one `utimes` call instead of a rewrite.
 */
import { closeSync, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import type { CacheKeyInputs } from '../cache-key.js';
import type { CacheEntry, CacheEntrySummary } from './cache-store.js';

/** Encodes an entry as file text. */
export function encodeEntry(entry: CacheEntry): string {
  const { inputs, lastUsedAt: _lastUsedAt, ...summary } = entry;
  return `${JSON.stringify({ version: 1, ...summary })}\n${JSON.stringify(inputs)}\n`;
}

/**
 * Finds the first summary field of `entry` that a later read would reject as
 * damaged, and returns its name. Returns undefined when every field is valid.
 */
export function invalidEntryField(entry: CacheEntry): string | undefined {
  const strings = { imageId: entry.imageId, stepText: entry.stepText, step: entry.step };
  for (const [field, value] of Object.entries(strings)) {
    if (typeof value !== 'string') {
      return field;
    }
  }
  const numbers = { createdAt: entry.createdAt, lastUsedAt: entry.lastUsedAt, size: entry.size };
  for (const [field, value] of Object.entries(numbers)) {
    if (!Number.isFinite(value)) {
      return field;
    }
  }
  return undefined;
}

/** A file read with the inode it was read from, so a damaged file is removed only if unchanged. */
export interface EntryRead<T> {
  readonly value: T | undefined;
  readonly stats: Stats | undefined;
}

/** Reads and validates a whole entry file; `value` is undefined when it is damaged. */
export async function readEntryFile(file: string, key: string): Promise<EntryRead<CacheEntry>> {
  const read = await readText(file, Number.POSITIVE_INFINITY);
  if (read === undefined) {
    return { value: undefined, stats: undefined };
  }
  const [head, body, rest] = splitLines(read.text, 2);
  const summary = parseSummary(head, key, read.stats);
  const inputs = parseInputs(body);
  const whole = rest === '' && summary !== undefined && inputs !== undefined;
  return { value: whole ? { ...summary, inputs } : undefined, stats: read.stats };
}

/** Reads and validates the summary line of an entry file. */
export async function readEntrySummary(
  file: string,
  key: string,
): Promise<EntryRead<CacheEntrySummary>> {
  const read = await readText(file, 1);
  if (read === undefined) {
    return { value: undefined, stats: undefined };
  }
  const [head] = splitLines(read.text, 1);
  return { value: parseSummary(head, key, read.stats), stats: read.stats };
}

/** Size a summary line may reach before the file counts as damaged. */
const MAX_HEAD_BYTES = 1024 * 1024;
const CHUNK_BYTES = 16 * 1024;

/**
 * Size up to which a file is read with blocking calls. An entry is usually a
 * few KiB, and a read through the thread pool (open, stat, read and close,
 * each a round trip) takes about 20 times as long as the read itself, which
 * adds up over a rebuild's lookups.
 */
const BLOCKING_READ_BYTES = 64 * 1024;

/** Reads text up to the `lines`-th newline (or all of it); undefined when the file is gone. */
async function readText(file: string, lines: number) {
  const small = readSmallFile(file);
  if (small !== 'large') {
    return small;
  }
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
  try {
    const stats = await handle.stat();
    if (lines === Number.POSITIVE_INFINITY) {
      return { text: await handle.readFile('utf8'), stats };
    }
    return { text: await readHead(handle), stats };
  } finally {
    await handle.close();
  }
}

/** Reads a file of at most {@link BLOCKING_READ_BYTES} whole; `large` for a bigger one. */
function readSmallFile(file: string): { text: string; stats: Stats } | undefined | 'large' {
  let descriptor: number;
  try {
    descriptor = openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
  try {
    const stats = fstatSync(descriptor);
    if (stats.size > BLOCKING_READ_BYTES) {
      return 'large';
    }
    return { text: readFileSync(descriptor, 'utf8'), stats };
  } finally {
    closeSync(descriptor);
  }
}

async function readHead(handle: Awaited<ReturnType<typeof open>>): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  while (length < MAX_HEAD_BYTES) {
    const buffer = Buffer.alloc(CHUNK_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, length);
    if (bytesRead === 0) {
      break;
    }
    const chunk = buffer.subarray(0, bytesRead);
    chunks.push(chunk);
    length += bytesRead;
    if (chunk.includes(0x0a)) {
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Splits off the first `count` lines; the last element is what follows them. */
function splitLines(text: string, count: number): string[] {
  const parts: string[] = [];
  let rest = text;
  for (let i = 0; i < count; i++) {
    const end = rest.indexOf('\n');
    if (end === -1) {
      return [...parts, '\u0000'];
    }
    parts.push(rest.slice(0, end));
    rest = rest.slice(end + 1);
  }
  return [...parts, rest];
}

function parseSummary(line: string | undefined, key: string, stats: Stats) {
  const value = parseJson(line);
  if (!isRecord(value) || value.version !== 1 || value.key !== key) {
    return undefined;
  }
  const { imageId, createdAt, size, stepText, step } = value;
  const valid =
    typeof imageId === 'string' &&
    typeof createdAt === 'number' &&
    typeof size === 'number' &&
    typeof stepText === 'string' &&
    typeof step === 'string';
  if (!valid) {
    return undefined;
  }
  return { key, imageId, createdAt, lastUsedAt: stats.mtimeMs, size, stepText, step };
}

function parseInputs(line: string | undefined): CacheKeyInputs | undefined {
  const value = parseJson(line);
  const valid =
    isRecord(value) &&
    typeof value.parent === 'string' &&
    typeof value.platform === 'string' &&
    typeof value.instruction === 'string' &&
    Array.isArray(value.arguments);
  return valid ? (value as unknown as CacheKeyInputs) : undefined;
}

function parseJson(line: string | undefined): unknown {
  if (line === undefined) {
    return undefined;
  }
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
