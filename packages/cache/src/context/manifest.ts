/**
 * The context manifest: one line per walked entry, in walk order, with its
 * digest and the `lstat` fields that decide whether the digest can be reused.
 * It is both the persistent stat cache and the list a caller reads COPY
 * sources from. Each line is a JSON array:
 * `[path, type, mode, size, digest, linkTarget, mtimeNs, ctimeNs, ino, dev, trusted]`
 * where mode is the whole `st_mode` and the stat numbers are decimal strings.
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { ContextEntry, EntryType } from './context-entry.js';
import { compareWalkOrder } from './walk-order.js';

/** First line of every manifest; a file that starts otherwise is ignored. */
export const MANIFEST_HEADER = '["gantry.context-manifest.v1"]';

/** One manifest line. */
export interface ManifestRecord {
  readonly path: string;
  readonly type: EntryType;
  /** Whole `st_mode`, type bits included. */
  readonly stMode: number;
  readonly size: number;
  readonly digest: string;
  readonly linkTarget: string | null;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
  readonly ino: bigint;
  readonly dev: bigint;
  /** False when the entry changed too recently or under the read; its digest is then not reused. */
  readonly trusted: boolean;
}

/** Encodes a record as one manifest line, newline included. */
export function encodeRecord(record: ManifestRecord): string {
  return `${JSON.stringify([
    record.path,
    record.type,
    record.stMode,
    record.size,
    record.digest,
    record.linkTarget,
    String(record.mtimeNs),
    String(record.ctimeNs),
    String(record.ino),
    String(record.dev),
    record.trusted ? 1 : 0,
  ])}\n`;
}

/** Decodes a manifest line; returns undefined for a line that is not a valid record. */
export function decodeRecord(line: string): ManifestRecord | undefined {
  let fields: unknown;
  try {
    fields = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!Array.isArray(fields) || fields.length !== 11 || !hasRecordTypes(fields)) {
    return undefined;
  }
  const [path, type, stMode, size, digest, linkTarget, mtime, ctime, ino, dev, trusted] = fields;
  return {
    path: path as string,
    type: type as EntryType,
    stMode: stMode as number,
    size: size as number,
    digest: digest as string,
    linkTarget: linkTarget as string | null,
    mtimeNs: BigInt(mtime as string),
    ctimeNs: BigInt(ctime as string),
    ino: BigInt(ino as string),
    dev: BigInt(dev as string),
    trusted: trusted === 1,
  };
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
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024 });
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let first = true;
  try {
    for await (const line of lines) {
      if (first) {
        first = false;
        if (line !== MANIFEST_HEADER) {
          return;
        }
        continue;
      }
      const record = decodeRecord(line);
      if (record === undefined) {
        return;
      }
      yield record;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw error;
    }
  } finally {
    lines.close();
    stream.destroy();
  }
}

/**
 * Reads a previous manifest alongside a new walk. Both are in walk order, so
 * finding each walked path only moves forward and memory stays constant.
 */
export class ManifestCursor {
  private readonly records: AsyncGenerator<ManifestRecord>;
  private current: ManifestRecord | undefined;
  private done = false;

  constructor(file: string) {
    this.records = readManifest(file);
  }

  /** Returns the record of `path`, skipping records of paths the walk no longer has. */
  async find(path: string): Promise<ManifestRecord | undefined> {
    for (;;) {
      if (this.current === undefined && !(await this.advance())) {
        return undefined;
      }
      const record = this.current as ManifestRecord;
      const order = compareWalkOrder(record.path, path);
      if (order > 0) {
        return undefined;
      }
      this.current = undefined;
      if (order === 0) {
        return record;
      }
    }
  }

  /** Stops reading the previous manifest. */
  async close(): Promise<void> {
    await this.records.return(undefined);
  }

  private async advance(): Promise<boolean> {
    if (this.done) {
      return false;
    }
    const next = await this.records.next();
    if (next.done === true) {
      this.done = true;
      return false;
    }
    this.current = next.value;
    return true;
  }
}

/** Writes a new manifest beside the old one and renames it into place on commit. */
export class ManifestWriter {
  private readonly file: string;
  private readonly temporary: string;
  private readonly stream: WriteStream;
  private failure: Error | undefined;

  constructor(file: string) {
    this.file = file;
    this.temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    this.stream = createWriteStream(this.temporary);
    this.stream.on('error', (error) => {
      this.failure = error;
    });
    this.stream.write(`${MANIFEST_HEADER}\n`);
  }

  /** Appends a record; waits when the stream's buffer is full. */
  async write(record: ManifestRecord): Promise<void> {
    if (this.failure !== undefined) {
      throw this.failure;
    }
    if (!this.stream.write(encodeRecord(record))) {
      await new Promise<void>((resolve, reject) => {
        this.stream.once('drain', resolve);
        this.stream.once('error', reject);
      });
    }
  }

  /** Flushes the file and renames it over the previous manifest. */
  async commit(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve()));
    });
    if (this.failure !== undefined) {
      throw this.failure;
    }
    await rename(this.temporary, this.file);
  }

  /** Drops the temporary file. */
  async abort(): Promise<void> {
    this.stream.destroy();
    await rm(this.temporary, { force: true });
  }
}

function hasRecordTypes(fields: unknown[]): boolean {
  const [path, type, stMode, size, digest, linkTarget] = fields;
  return (
    typeof path === 'string' &&
    (type === 'file' || type === 'dir' || type === 'symlink' || type === 'other') &&
    Number.isSafeInteger(stMode) &&
    Number.isSafeInteger(size) &&
    typeof digest === 'string' &&
    (linkTarget === null || typeof linkTarget === 'string') &&
    fields.slice(6, 10).every((value) => typeof value === 'string' && /^\d+$/.test(value)) &&
    (fields[10] === 0 || fields[10] === 1)
  );
}
