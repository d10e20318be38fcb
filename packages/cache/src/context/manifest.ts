/**
 * The context manifest: one line per walked entry, in walk order, with its
 * digest and the `lstat` fields that decide whether the digest can be reused.
 * It is both the persistent stat cache and the list a caller reads COPY
 * sources from. Each line is a JSON array `[path, stamp, digest, linkTarget]`
 * where stamp is `type:fields:trusted`, and fields is the base64 of `st_mode`,
 * size, inode, device, mtime and ctime (see {@link stampOf}). An unchanged
 * entry is recognised by comparing the stamp text, so the unchanged case never
 * parses the line.
 */
import { type BigIntStats, createWriteStream, type WriteStream } from 'node:fs';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import type { ContextEntry, EntryType } from './context-entry.js';
import { compareWalkOrder } from './walk-order.js';

/** First line of every manifest; a file that starts otherwise is ignored. */
export const MANIFEST_HEADER = '["gantry.context-manifest.v4"]';

/** Characters gathered before one write to the manifest stream. */
const WRITE_CHUNK = 64 * 1024;

/** One manifest line, decoded. */
export interface ManifestRecord {
  readonly path: string;
  readonly type: EntryType;
  /** Whole `st_mode`, type bits included. */
  readonly stMode: number;
  readonly size: number;
  readonly digest: string;
  readonly linkTarget: string | null;
  /** False when the entry changed too recently or under the read; its digest is then not reused. */
  readonly trusted: boolean;
}

/** A manifest line with its path, as the cursor returns it before any parsing. */
export interface ManifestLine {
  readonly path: string;
  readonly line: string;
  /** Offset of the stamp's opening quote in `line`. */
  readonly stampAt: number;
  /** One-based position of the line after the header; set by {@link ManifestCursor}. */
  readonly position?: number;
}

/** Scratch space for a stamp's fields, reused by every {@link stampOf} call. */
const stampFields = new BigInt64Array(6);
const stampBytes = Buffer.from(stampFields.buffer);

/**
 * Returns an entry's stamp without the trusted flag: the type, a colon, and
 * the base64 of `st_mode`, size, inode, device, and modification and change
 * times in ns. Each field is a 64-bit integer in the machine's byte order,
 * because the stat cache never leaves the machine. Packing the bigints into a
 * typed array costs about half of printing them in decimal, and every run
 * builds a stamp for every entry.
 */
export function stampOf(type: EntryType, stats: BigIntStats): string {
  stampFields[0] = stats.mode;
  stampFields[1] = stats.size;
  stampFields[2] = stats.ino;
  stampFields[3] = stats.dev;
  stampFields[4] = stats.mtimeNs;
  stampFields[5] = stats.ctimeNs;
  return `${type}:${stampBytes.toString('base64')}`;
}

/** Reads `st_mode` and size back from a stamp's base64 fields; undefined when they are not 48 bytes. */
function unpackStamp(packed: string): { stMode: number; size: number } | undefined {
  const fields = new BigInt64Array(stampFields.length);
  const bytes = Buffer.from(fields.buffer);
  if (bytes.write(packed, 'base64') !== bytes.length || packed.length !== STAMP_BASE64_LENGTH) {
    return undefined;
  }
  return { stMode: Number(fields[0]), size: Number(fields[1]) };
}

/** Characters of the base64 of the 48 bytes of stamp fields. */
const STAMP_BASE64_LENGTH = 64;

/** Encodes an entry as one manifest line, without the newline. */
export function encodeLine(
  path: string,
  stamp: string,
  trusted: boolean,
  digest: string,
  linkTarget: string | null,
): string {
  return JSON.stringify([path, `${stamp}:${trusted ? 1 : 0}`, digest, linkTarget]);
}

/**
 * Returns the digest stored in a line whose stamp (`stamp` plus `:1`, trusted)
 * matches, or undefined when the stamp differs or the entry was not trusted.
 */
export function reusableDigest(cached: ManifestLine, stamp: string): string | undefined {
  const { line, stampAt } = cached;
  const stampEnd = stampAt + 1 + stamp.length;
  // Comparing slices costs about a third of startsWith with a position on Node 20.
  const matches =
    line.charCodeAt(stampAt) === QUOTE &&
    line.slice(stampAt + 1, stampEnd) === stamp &&
    line.slice(stampEnd, stampEnd + TRUSTED_END.length) === TRUSTED_END;
  if (!matches) {
    return undefined;
  }
  const digestAt = stampEnd + TRUSTED_END.length;
  return line.slice(digestAt, line.indexOf('"', digestAt));
}

const QUOTE = 0x22;
/** Text after a trusted stamp: the flag, the closing quote and the digest's opening quote. */
const TRUSTED_END = ':1","';

/** Decodes a manifest line; returns undefined for a line that is not a valid record. */
export function decodeRecord(line: string): ManifestRecord | undefined {
  let fields: unknown;
  try {
    fields = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!Array.isArray(fields) || fields.length !== 4) {
    return undefined;
  }
  const [path, stamp, digest, linkTarget] = fields;
  const parts = typeof stamp === 'string' ? stamp.split(':') : [];
  const [type, packed = '', trusted] = parts;
  const unpacked = unpackStamp(packed);
  const valid =
    typeof path === 'string' &&
    parts.length === 3 &&
    (type === 'file' || type === 'dir' || type === 'symlink' || type === 'other') &&
    unpacked !== undefined &&
    typeof digest === 'string' &&
    (linkTarget === null || typeof linkTarget === 'string');
  if (!valid) {
    return undefined;
  }
  return {
    path,
    type,
    stMode: unpacked.stMode,
    size: unpacked.size,
    digest,
    linkTarget: linkTarget as string | null,
    trusted: trusted === '1',
  };
}

/** Reads the path at the start of a line; quick when the path needs no JSON escapes. */
export function parseLine(line: string, position?: number): ManifestLine | undefined {
  if (line.startsWith('["')) {
    const end = line.indexOf('"', 2);
    const path = line.slice(2, end);
    if (end > 1 && line[end + 1] === ',' && !path.includes('\\')) {
      return { path, line, stampAt: end + 2, position };
    }
  }
  const record = decodeRecord(line);
  if (record === undefined) {
    return undefined;
  }
  const stampAt = JSON.stringify(record.path).length + 2;
  return { path: record.path, line, stampAt, position };
}

/** Converts a record to the entry callers see. */
export function toContextEntry(record: ManifestRecord): ContextEntry {
  const entry = {
    path: record.path,
    type: record.type,
    mode: record.stMode & 0o7777,
    size: record.size,
    digest: record.digest,
  };
  return record.linkTarget === null ? entry : { ...entry, linkTarget: record.linkTarget };
}

/**
 * Streams the records of a manifest file. A missing file, a wrong header or a
 * garbled line ends the stream early, never with an error: the stat cache is
 * only an accelerator.
 */
export async function* readManifest(file: string): AsyncGenerator<ManifestRecord> {
  const lines = new ManifestLines(file);
  try {
    for (;;) {
      const line = await lines.next();
      const record = line === undefined ? undefined : decodeRecord(line);
      if (record === undefined) {
        return;
      }
      yield record;
    }
  } finally {
    await lines.close();
  }
}

/** Bytes read from a manifest at once. */
const READ_CHUNK = 256 * 1024;

/** Reads the lines of a manifest after its header, a chunk at a time. */
class ManifestLines {
  private readonly file: string;
  private handle: FileHandle | undefined;
  private readonly decoder = new StringDecoder('utf8');
  private readonly buffer = Buffer.allocUnsafe(READ_CHUNK);
  private lines: string[] = [];
  private index = 0;
  private partial = '';
  private state: 'new' | 'open' | 'done' = 'new';

  constructor(file: string) {
    this.file = file;
  }

  /** Returns the next line if the current chunk still has one, without reading. */
  nextBuffered(): string | undefined {
    return this.index < this.lines.length ? this.lines[this.index++] : undefined;
  }

  /** Returns the next line, or undefined at the end, when the file is missing or its header is wrong. */
  async next(): Promise<string | undefined> {
    while (this.index >= this.lines.length) {
      if (!(await this.fill())) {
        return undefined;
      }
    }
    return this.lines[this.index++];
  }

  async close(): Promise<void> {
    this.state = 'done';
    await this.handle?.close();
    this.handle = undefined;
  }

  private async fill(): Promise<boolean> {
    if (this.state === 'new') {
      return this.open();
    }
    if (this.state === 'done' || this.handle === undefined) {
      return false;
    }
    const { bytesRead } = await this.handle.read(this.buffer, 0, READ_CHUNK, null);
    if (bytesRead === 0) {
      this.state = 'done';
      return false;
    }
    const text = this.partial + this.decoder.write(this.buffer.subarray(0, bytesRead));
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    this.lines = lines;
    this.index = 0;
    return true;
  }

  /**
   * Copies the header and the first `count` lines of the file, as bytes, to
   * `write`. It reads through the open handle with positional reads, so it
   * copies from the file it has been reading even if another process has
   * renamed a new manifest over the path since.
   */
  async copyPrefix(count: number, write: (chunk: Buffer) => void): Promise<void> {
    const handle = this.handle;
    let newlines = count + 1;
    let position = 0;
    while (handle !== undefined && newlines > 0) {
      const chunk = Buffer.allocUnsafe(READ_CHUNK);
      const { bytesRead } = await handle.read(chunk, 0, READ_CHUNK, position);
      if (bytesRead === 0) {
        return;
      }
      let end = 0;
      while (newlines > 0 && end < bytesRead) {
        const next = chunk.indexOf(0x0a, end);
        if (next === -1 || next >= bytesRead) {
          end = bytesRead;
          break;
        }
        end = next + 1;
        newlines--;
      }
      write(chunk.subarray(0, end));
      position += end;
    }
  }

  /** Opens the file and checks the header; false when the file is missing or not a manifest. */
  private async open(): Promise<boolean> {
    try {
      this.handle = await open(this.file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.state = 'done';
        return false;
      }
      throw error;
    }
    this.state = 'open';
    const header = await this.next();
    if (header !== MANIFEST_HEADER) {
      await this.close();
      return false;
    }
    return true;
  }
}

/**
 * Reads a previous manifest alongside a new walk. Both are in walk order, so
 * finding each walked path only moves forward and memory stays constant.
 */
export class ManifestCursor {
  private readonly lines: ManifestLines;
  private current: ManifestLine | undefined;
  private done = false;
  private taken = 0;

  constructor(file: string) {
    this.lines = new ManifestLines(file);
  }

  /**
   * Returns the line of `path`, skipping lines of paths the walk no longer has.
   * Returns the line itself, not a promise, while the current chunk lasts.
   */
  find(path: string): ManifestLine | undefined | Promise<ManifestLine | undefined> {
    for (;;) {
      if (this.current === undefined) {
        if (this.done) {
          return undefined;
        }
        const line = this.lines.nextBuffered();
        if (line === undefined) {
          return this.findAfterRead(path);
        }
        this.take(line);
        continue;
      }
      const order = compareWalkOrder(this.current.path, path);
      if (order > 0) {
        return undefined;
      }
      const cached = this.current;
      this.current = undefined;
      if (order === 0) {
        return cached;
      }
    }
  }

  private async findAfterRead(path: string): Promise<ManifestLine | undefined> {
    const line = await this.lines.next();
    if (line === undefined) {
      this.done = true;
      return undefined;
    }
    this.take(line);
    return this.find(path);
  }

  private take(line: string): void {
    this.taken++;
    this.current = parseLine(line, this.taken);
    this.done = this.current === undefined;
  }

  /** Returns whether lines remain that no `find` has reached. */
  async hasMore(): Promise<boolean> {
    if (this.current !== undefined) {
      return true;
    }
    if (this.done) {
      return false;
    }
    const line = await this.lines.next();
    return line !== undefined && parseLine(line) !== undefined;
  }

  /** Copies the header and the first `count` lines of the previous manifest. */
  copyPrefix(count: number, write: (chunk: Buffer) => void): Promise<void> {
    return this.lines.copyPrefix(count, write);
  }

  /** Stops reading the previous manifest. */
  async close(): Promise<void> {
    await this.lines.close();
  }
}

/**
 * Writes the new manifest. While every line equals the previous manifest's
 * line at the same position, nothing is written. At the first difference the
 * equal lines are copied from the previous manifest, and writing goes on into
 * a temporary file that replaces the manifest on commit. An unchanged context
 * therefore writes nothing.
 */
export class ManifestWriter {
  private readonly file: string;
  private readonly previous: ManifestCursor;
  private readonly temporary: string;
  private stream: WriteStream | undefined;
  private copying: Promise<void> | undefined;
  private failure: Error | undefined;
  private pending = '';
  private unchangedLines = 0;

  constructor(file: string, previous: ManifestCursor) {
    this.file = file;
    this.previous = previous;
    this.temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  }

  /**
   * Appends a line (without its newline). `position` is the position of the
   * previous manifest's line it was taken from, when it was reused as is.
   */
  write(line: string, position?: number): void {
    if (this.failure !== undefined) {
      throw this.failure;
    }
    if (this.stream === undefined && position === this.unchangedLines + 1) {
      this.unchangedLines++;
      return;
    }
    this.start();
    this.pending += `${line}\n`;
    if (this.pending.length >= WRITE_CHUNK) {
      this.flush();
    }
  }

  /** Waits until the prefix copy and the stream's buffer are done, so memory stays bounded. */
  async drained(): Promise<void> {
    if (this.copying !== undefined) {
      await this.copying;
      this.copying = undefined;
      this.flush();
    }
    const stream = this.stream;
    if (stream === undefined || !stream.writableNeedDrain) {
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const settle = (error?: Error) => {
        stream.off('drain', settle);
        stream.off('error', settle);
        error === undefined ? resolve() : reject(error);
      };
      stream.on('drain', settle);
      stream.on('error', settle);
    });
  }

  /** Renames the new manifest over the previous one, unless nothing changed. */
  async commit(): Promise<void> {
    if (this.stream === undefined) {
      if (this.unchangedLines > 0 && !(await this.previous.hasMore())) {
        return;
      }
      this.start();
    }
    await this.drained();
    this.flush();
    const stream = this.stream as WriteStream;
    await new Promise<void>((resolve, reject) => {
      stream.end((error?: Error | null) => (error ? reject(error) : resolve()));
    });
    if (this.failure !== undefined) {
      throw this.failure;
    }
    await rename(this.temporary, this.file);
  }

  /** Drops the temporary file. */
  async abort(): Promise<void> {
    await this.copying?.catch(() => undefined);
    this.stream?.destroy();
    await rm(this.temporary, { force: true });
  }

  /** Opens the temporary file and starts copying the unchanged lines into it. */
  private start(): void {
    if (this.stream !== undefined) {
      return;
    }
    const stream = createWriteStream(this.temporary);
    stream.on('error', (error) => {
      this.failure = error;
    });
    this.stream = stream;
    if (this.unchangedLines === 0) {
      stream.write(`${MANIFEST_HEADER}\n`);
      return;
    }
    this.copying = this.previous.copyPrefix(this.unchangedLines, (chunk) => stream.write(chunk));
    this.copying.catch(() => undefined);
  }

  private flush(): void {
    if (this.copying !== undefined || this.stream === undefined || this.pending === '') {
      return;
    }
    const chunk = this.pending;
    this.pending = '';
    this.stream.write(chunk);
  }
}
