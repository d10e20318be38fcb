/** Reads a build context (a tar stream, plain or gzip-compressed) into a folder, within a size limit. */
import { resolve } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-fs';
import { ServerError } from './errors.js';
import { TarEnd } from './tar-end.js';

/** Options of {@link receiveContext}. */
export interface ReceiveContextOptions {
  /** Empty folder to extract into. */
  readonly folder: string;
  /** Maximum bytes of the body, and of the tar after decompression. */
  readonly maxBytes: number;
  /** Body size the client declared (`Content-Length`), checked before reading. */
  readonly declaredBytes?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Extracts a build-context tar from `body` into `options.folder`. The size is
 * checked while the bytes arrive, so a context over the limit fails as soon
 * as the limit is passed, without reading the rest.
 *
 * @throws {ServerError} `ERR_CONTEXT_TOO_LARGE` past the limit, `ERR_INVALID_CONTEXT`
 * for a body that is not a tar archive (or is compressed with bzip2 or xz).
 */
export async function receiveContext(
  body: Readable,
  options: ReceiveContextOptions,
): Promise<void> {
  if ((options.declaredBytes ?? 0) > options.maxBytes) {
    throw tooLarge(options.maxBytes, 'Content-Length');
  }
  try {
    await pipeline(
      body,
      new ByteLimit(options.maxBytes, 'request body'),
      decompress,
      new ByteLimit(options.maxBytes, 'extracted tar'),
      new TarEnd(),
      extractTo(options.folder),
      ...(options.signal === undefined ? [] : [{ signal: options.signal }]),
    );
  } catch (error) {
    if (options.signal?.aborted === true) throw options.signal.reason;
    throw contextError(error, options.folder);
  }
}

function extractTo(folder: string) {
  return tar.extract(folder, {
    // Owners come from COPY --chown, not from the client's files.
    chown: false,
    // Keep the modes the client sent, as the engine does.
    umask: 0,
    // Links that point out of the context may be in it; the builder rejects copying them.
    // tar-fs still refuses to write through any link.
    validateSymlinks: false,
    // The docker CLI sends the named pipes and device files of a context folder. They are
    // left out, because strict extraction would fail the whole context on them.
    strict: false,
  } as tar.ExtractOptions);
}

/** Passes bytes through and fails once more than `maxBytes` have passed. */
class ByteLimit extends Transform {
  readonly #maxBytes: number;
  readonly #measured: string;
  #bytes = 0;

  constructor(maxBytes: number, measured: string) {
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
    callback(tooLarge(this.#maxBytes, this.#measured));
  }
}

function tooLarge(maxBytes: number, measured: string): ServerError {
  return new ServerError(
    'ERR_CONTEXT_TOO_LARGE',
    `The build context is larger than the server's maximum of ${maxBytes} bytes ` +
      `(${measured}); leave files out with .dockerignore, or raise --max-context-size.`,
  );
}

/** Magic numbers of the compressions the engine accepts for a context. */
const MAGIC: ReadonlyArray<readonly [string, Buffer]> = [
  ['gzip', Buffer.from([0x1f, 0x8b])],
  ['bzip2', Buffer.from('BZh')],
  ['xz', Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])],
];

/** Passes a plain tar through and decompresses a gzip-compressed one. */
async function* decompress(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const iterator = source[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  while (head.length < 6) {
    const next = await iterator.next();
    if (next.done === true) break;
    head = Buffer.concat([head, next.value]);
  }
  const compression = MAGIC.find(([, magic]) => head.subarray(0, magic.length).equals(magic));
  const bytes = concatenate(head, iterator);
  if (compression === undefined) {
    yield* bytes;
    return;
  }
  if (compression[0] !== 'gzip') {
    throw new ServerError(
      'ERR_INVALID_CONTEXT',
      `The build context is compressed with ${compression[0]}, which gantry cannot read; ` +
        'send a plain or gzip-compressed tar.',
    );
  }
  const gunzip = createGunzip();
  pipeline(Readable.from(bytes), gunzip).catch(() => {
    // The error reaches the reader below, which ends the outer pipeline.
  });
  yield* gunzip;
}

async function* concatenate(head: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  if (head.length > 0) yield head;
  while (true) {
    const next = await rest.next();
    if (next.done === true) return;
    yield next.value;
  }
}

/** Turns an extraction failure into a 400 whose message has no path of the server's own. */
function contextError(error: unknown, folder: string): unknown {
  if (error instanceof ServerError) return error;
  const code = (error as { code?: unknown }).code;
  if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE') {
    return new ServerError(
      'ERR_CLIENT_CLOSED',
      'The client closed the connection while sending the build context.',
      { cause: error },
    );
  }
  const text = error instanceof Error ? error.message : String(error);
  // tar-fs names some entries by their absolute path in the extraction folder.
  const root = resolve(folder);
  const message = text.replaceAll(`${root}/`, '').replaceAll(root, '.');
  return new ServerError(
    'ERR_INVALID_CONTEXT',
    `The build context is not a valid tar archive: ${message}. Send the context as a tar ` +
      '(Content-Type: application/x-tar), plain or gzip-compressed.',
    { cause: error },
  );
}
