/** Reads an uploaded build context into a folder, within the server's size limit. */
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import {
  BuildError,
  ContextCompressionError,
  ContextEntryError,
  ContextTooLargeError,
  extractContextArchive,
} from '@gantry/builder';
import { ServerError } from './errors.js';

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
 * Extracts a build-context tar, plain or gzip-compressed, from `body` into
 * `options.folder` with `extractContextArchive` of `@gantry/builder`, and
 * turns its errors into the server's. A context over the limit fails as
 * soon as the limit is passed, without reading the rest.
 *
 * @throws {ServerError} `ERR_CONTEXT_TOO_LARGE` past the limit, `ERR_CLIENT_CLOSED`
 * when the client stops sending, `ERR_INVALID_CONTEXT` for a body that is not a
 * tar archive (or is compressed with bzip2 or xz) or has an entry outside its root.
 */
export async function receiveContext(
  body: Readable,
  options: ReceiveContextOptions,
): Promise<void> {
  if ((options.declaredBytes ?? 0) > options.maxBytes) {
    throw tooLarge(options.maxBytes, 'Content-Length');
  }
  try {
    await extractContextArchive(body, options);
  } catch (error) {
    if (options.signal?.aborted === true) throw options.signal.reason;
    throw contextError(error, options.folder);
  }
}

function tooLarge(maxBytes: number, measured: string): ServerError {
  return new ServerError(
    'ERR_CONTEXT_TOO_LARGE',
    `The build context is larger than the server's maximum of ${maxBytes} bytes ` +
      `(${measured}); leave files out with .dockerignore, or raise --max-context-size.`,
  );
}

/** Turns an extraction failure into a 413 or 400 whose message has no path of the server's own. */
function contextError(error: unknown, folder: string): unknown {
  if (error instanceof ContextTooLargeError) {
    return tooLarge(
      error.maxBytes,
      error.measured === 'archive' ? 'request body' : 'extracted tar',
    );
  }
  if (!(error instanceof BuildError)) return error;
  if (error.code === 'ERR_CONTEXT_READ' && isClientClose(error.cause)) {
    return new ServerError(
      'ERR_CLIENT_CLOSED',
      'The client closed the connection while sending the build context.',
      { cause: error },
    );
  }
  return new ServerError('ERR_INVALID_CONTEXT', invalidContextMessage(error, folder), {
    cause: error,
  });
}

function isClientClose(cause: unknown): boolean {
  const code = (cause as { code?: unknown } | undefined)?.code;
  return code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE';
}

function invalidContextMessage(error: BuildError, folder: string): string {
  if (error instanceof ContextCompressionError) {
    return (
      `The build context is compressed with ${error.compression}, which gantry cannot read; ` +
      'send a plain or gzip-compressed tar.'
    );
  }
  if (error instanceof ContextEntryError) return unsafeEntryMessage(error);
  const cause = error.cause instanceof Error ? error.cause.message : error.message;
  // The causes of file-system errors name entries by their absolute path in the extraction folder.
  const root = resolve(folder);
  const reason = cause.replaceAll(`${root}/`, '').replaceAll(root, '.');
  return (
    `The build context is not a valid tar archive: ${reason}. Send the context as a tar ` +
    '(Content-Type: application/x-tar), plain or gzip-compressed.'
  );
}

function unsafeEntryMessage(error: ContextEntryError): string {
  const entry = JSON.stringify(error.entry);
  if (error.reason === 'outside-root') {
    return `The build context has an entry outside its root: ${entry}. Send a tar whose paths are relative to the context folder.`;
  }
  if (error.reason === 'below-symbolic-link') {
    return (
      `The build context reaches ${entry} through its symbolic link ${JSON.stringify(error.symbolicLink)}. ` +
      'Send a tar that writes no entry below a symbolic link.'
    );
  }
  return (
    `The build context has a hard link ${entry} to ${JSON.stringify(error.linkTarget)}, ` +
    'which is no earlier file entry of the tar. Send the file before its hard links.'
  );
}
