/** Extracting a build context that arrives as a tar stream, plain or gzip-compressed, into a folder. */
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract, type Header } from 'tar-stream';
import {
  BuildError,
  ContextCompressionError,
  ContextTooLargeError,
  type MeasuredPart,
} from '../errors.js';
import { ContextEntryWriter, type EntryBody } from './context-entry-writer.js';
import { TarEnd } from './tar-end.js';

/** Options of {@link extractContextArchive}. */
export interface ExtractContextOptions {
  /** The empty folder to extract into. */
  readonly folder: string;
  /**
   * Maximum bytes of the stream, and of the tar after decompression. Unset,
   * neither is limited.
   */
  readonly maxBytes?: number | undefined;
  /** Stops the extraction; it then rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
}

/** Result of {@link extractContextArchive}. */
export interface ExtractedContext {
  /** Bytes read from the stream: the compressed size of a gzip-compressed archive. */
  readonly bytes: number;
  /** Whether the stream was a plain tar or a gzip-compressed one. */
  readonly compression: 'none' | 'gzip';
}

/**
 * Extracts a build-context tar from `stream` into `options.folder`, as the
 * engine reads an uploaded context: plain or gzip-compressed (detected by
 * content), and also a tar whose end blocks are missing (the docker CLI
 * 20.10 sends one for `docker build -f - .`). Named pipes and device files
 * are left out. Sizes are checked while the bytes arrive, so a context over
 * the limit fails without reading the rest. On failure the folder keeps what
 * was written, and the caller removes it.
 *
 * @throws {ContextTooLargeError} past `maxBytes`.
 * @throws {ContextCompressionError} for a bzip2 or xz archive.
 * @throws {ContextEntryError} for an entry whose path leaves the folder: `../x`,
 * a path below a symbolic link of the archive, or a hard link to such a path.
 * @throws {BuildError} `ERR_CONTEXT_ARCHIVE` for a stream that is no valid
 * tar or gzip, `ERR_CONTEXT_READ` when reading `stream` fails (the cause is
 * the stream's error), `ERR_CONTEXT_WRITE` when writing an entry fails.
 *
 * @example
 * ```ts
 * const { bytes } = await extractContextArchive(request, { folder, maxBytes: 100 << 20 });
 * ```
 */
export async function extractContextArchive(
  stream: AsyncIterable<Uint8Array>,
  options: ExtractContextOptions,
): Promise<ExtractedContext> {
  const { folder, signal } = options;
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  signal?.throwIfAborted();
  const source = new SourceReader(stream, maxBytes);
  try {
    const compression = await source.readCompression();
    await extractTar(source.chunks(), { folder, maxBytes, gzip: compression === 'gzip', signal });
    return { bytes: source.bytes, compression };
  } catch (error) {
    if (signal?.aborted === true) throw signal.reason;
    throw asBuildError(error);
  } finally {
    await source.close();
  }
}

interface TarOptions {
  readonly folder: string;
  readonly maxBytes: number;
  readonly gzip: boolean;
  readonly signal: AbortSignal | undefined;
}

/** Feeds the bytes through decompression and the tar reader, and writes each entry. */
async function extractTar(chunks: AsyncIterable<Buffer>, options: TarOptions): Promise<void> {
  const entries = extract();
  const stages = [
    Readable.from(chunks),
    ...(options.gzip ? [createGunzip()] : []),
    new ByteLimit(options.maxBytes, 'tar'),
    new TarEnd(),
    // tar-stream's extractor is a streamx stream, which Node's pipeline accepts as a writable.
    entries as unknown as NodeJS.WritableStream,
  ];
  const feeding = pipeline(stages, { signal: options.signal });
  feeding.catch((error: unknown) => entries.destroy(error as Error));
  const writer = new ContextEntryWriter(options.folder);
  for await (const entry of entries) {
    await writeEntry(writer, entry.header, entry);
  }
  await feeding;
}

async function writeEntry(
  writer: ContextEntryWriter,
  header: Header,
  body: EntryBody,
): Promise<void> {
  try {
    await writer.write(header, body);
  } catch (error) {
    // Only a file-system call's error is a write error. The entry's own
    // stream fails too, when the archive is cut inside its data.
    const { code, syscall } = error as NodeJS.ErrnoException;
    if (error instanceof BuildError || syscall === undefined) throw error;
    // The code, not the message, because the message names the folder's absolute path.
    throw new BuildError(
      'ERR_CONTEXT_WRITE',
      `Cannot write the entry ${JSON.stringify(header.name)} of the build context (${code}); ` +
        'check the archive for an entry that replaces a folder with a file, and the free disk space',
      { cause: error },
    );
  }
}

/** Magic numbers of the compressions the engine reads in a build context. */
const MAGIC: ReadonlyArray<readonly ['gzip' | 'bzip2' | 'xz', Buffer]> = [
  ['gzip', Buffer.from([0x1f, 0x8b])],
  ['bzip2', Buffer.from('BZh')],
  ['xz', Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])],
];

/** Bytes that the longest magic number needs. */
const MAGIC_BYTES = 6;

/**
 * Reads the input stream, counting and limiting its bytes. Its failures
 * become `ERR_CONTEXT_READ`, so that a caller can distinguish a closed
 * connection from an invalid archive.
 */
class SourceReader {
  readonly #iterator: AsyncIterator<Uint8Array>;
  readonly #maxBytes: number;
  #head: Buffer = Buffer.alloc(0);
  bytes = 0;

  constructor(stream: AsyncIterable<Uint8Array>, maxBytes: number) {
    this.#iterator = stream[Symbol.asyncIterator]();
    this.#maxBytes = maxBytes;
  }

  /** Reads the first bytes and returns the compression they announce. */
  async readCompression(): Promise<'none' | 'gzip'> {
    while (this.#head.length < MAGIC_BYTES) {
      const chunk = await this.#next();
      if (chunk === undefined) break;
      this.#head = Buffer.concat([this.#head, chunk]);
    }
    const found = MAGIC.find(([, magic]) => this.#head.subarray(0, magic.length).equals(magic));
    if (found === undefined) return 'none';
    if (found[0] !== 'gzip') throw new ContextCompressionError(found[0]);
    return 'gzip';
  }

  /** Yields the whole stream, the bytes that {@link readCompression} read first. */
  async *chunks(): AsyncGenerator<Buffer> {
    if (this.#head.length > 0) yield this.#head;
    for (let chunk = await this.#next(); chunk !== undefined; chunk = await this.#next()) {
      yield chunk;
    }
  }

  /** Stops reading the input, which destroys a Node stream when extraction failed before its end. */
  async close(): Promise<void> {
    await this.#iterator.return?.()?.catch(() => {
      // The stream's own error has been reported already.
    });
  }

  async #next(): Promise<Buffer | undefined> {
    let result: IteratorResult<Uint8Array>;
    try {
      result = await this.#iterator.next();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new BuildError(
        'ERR_CONTEXT_READ',
        `Reading the build context stream failed (${reason}); send the context again`,
        { cause: error },
      );
    }
    if (result.done === true) return undefined;
    this.bytes += result.value.length;
    if (this.bytes > this.#maxBytes) throw new ContextTooLargeError(this.#maxBytes, 'archive');
    return Buffer.isBuffer(result.value) ? result.value : Buffer.from(result.value);
  }
}

/** Passes bytes through and fails once more than `maxBytes` have passed. */
class ByteLimit extends Transform {
  readonly #maxBytes: number;
  readonly #measured: MeasuredPart;
  #bytes = 0;

  constructor(maxBytes: number, measured: MeasuredPart) {
    super();
    this.#maxBytes = maxBytes;
    this.#measured = measured;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.#bytes += chunk.length;
    if (this.#bytes <= this.#maxBytes) {
      callback(null, chunk);
      return;
    }
    callback(new ContextTooLargeError(this.#maxBytes, this.#measured));
  }
}

/** Returns a failure of gunzip or of the tar reader as `ERR_CONTEXT_ARCHIVE`. */
function asBuildError(error: unknown): BuildError {
  if (error instanceof BuildError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new BuildError(
    'ERR_CONTEXT_ARCHIVE',
    `The build context is not a valid tar archive (${reason}); send a tar, plain or gzip-compressed`,
    { cause: error },
  );
}
