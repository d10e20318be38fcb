/**
 * ADD from an http(s) URL, as the classic builder and the Dockerfile
 * reference describe it. The file is named after the last part of the URL's
 * path and has mode 0600 and the `Last-Modified` time of the response (the
 * Unix epoch without one). It is checked against `--checksum` when given, and
 * never extracted.
 */
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { Checksum } from '@gantry/dockerfile';
import { BuildError } from '../errors.js';
import { HttpGetError, httpGet } from './http-get.js';
import { HttpProxyError } from './http-proxy.js';
import type { MatchedSource } from './match-sources.js';

/** Mode of a downloaded file before `--chmod`, as the classic builder sets it. */
export const DOWNLOAD_FILE_MODE = 0o600;

/** Name BuildKit gives a download whose URL path and headers name no file. */
const UNNAMED = '__unnamed__';

/** Options of {@link downloadSource}. */
export interface DownloadOptions {
  readonly url: string;
  /** `--checksum` of the ADD, verified after the download. */
  readonly checksum?: Checksum | undefined;
  /** Path of the file to write the download to. */
  readonly file: string;
  readonly signal?: AbortSignal | undefined;
  /** See {@link HttpGetOptions.extraCaCertsFile}. */
  readonly extraCaCertsFile?: string | undefined;
}

/** Returns whether an ADD source is a URL that ADD downloads. */
export function isUrlSource(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/**
 * Downloads a URL to a file, streaming, and returns it as a source of ADD.
 * Its content digest is part of the step's cache key.
 *
 * @throws BuildError `ERR_COPY_SOURCE` when the request fails, the response
 * status is not 2xx, or the content does not match `--checksum`.
 */
export async function downloadSource(options: DownloadOptions): Promise<MatchedSource> {
  const { url, file, signal } = options;
  const response = await request(url, signal, options.extraCaCertsFile);
  const digest = createHash('sha256');
  const verify = verifyingHash(options.checksum);
  let size = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      digest.update(chunk);
      verify?.update(chunk);
      done(null, chunk);
    },
  });
  const gzipped = isGzipEncoded(response.headers['content-encoding']);
  const output = createWriteStream(file, { mode: DOWNLOAD_FILE_MODE });
  try {
    if (gzipped) {
      await pipeline(response, createGunzip(), count, output, { signal });
    } else {
      await pipeline(response, count, output, { signal });
    }
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    // Content-Length counts the encoded bytes, and `size` the decoded ones.
    const expected = gzipped ? undefined : response.headers['content-length'];
    throw transferError(url, error, size, expected);
  }
  if (verify !== undefined && options.checksum !== undefined) {
    checkDigest(url, options.checksum, verify.digest('hex'));
  }
  return {
    source: url,
    name: fileName(url, response.headers['content-disposition']),
    matchedPath: url,
    entry: {
      path: url,
      type: 'file',
      mode: DOWNLOAD_FILE_MODE,
      size,
      digest: `sha256:${digest.digest('hex')}`,
    },
    children: [],
    origin: { kind: 'download', file, mtime: lastModified(response.headers['last-modified']) },
  };
}

/**
 * Runs `work` with a function that makes a temporary folder for downloads on
 * first call, and removes the folder when `work` ends, failed or aborted too.
 */
export async function withDownloadFolder<T>(
  work: (folder: () => Promise<string>) => Promise<T>,
): Promise<T> {
  let folder: string | undefined;
  const makeFolder = async () => {
    folder ??= await mkdtemp(join(tmpdir(), 'gantry-add-'));
    return folder;
  };
  try {
    return await work(makeFolder);
  } finally {
    if (folder !== undefined) await rm(folder, { recursive: true, force: true });
  }
}

/** Returns the path of the n-th download of a step in its temporary folder. */
export function downloadPath(folder: string, index: number): string {
  return join(folder, `download-${index}`);
}

async function request(
  url: string,
  signal: AbortSignal | undefined,
  extraCaCertsFile: string | undefined,
): Promise<IncomingMessage> {
  let response: IncomingMessage;
  try {
    response = await httpGet(url, { signal, extraCaCertsFile });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    const reason = error instanceof Error ? error.message : String(error);
    // These errors' messages end with their own fix.
    const ownFix = error instanceof HttpGetError || error instanceof HttpProxyError;
    const fix = ownFix ? '' : `; ${fixFor(error, extraCaCertsFile)}`;
    throw new BuildError('ERR_COPY_SOURCE', `failed to download ${url}: ${reason}${fix}`, {
      cause: error,
    });
  }
  const status = response.statusCode ?? 0;
  if (status < 200 || status > 299) {
    response.resume();
    throw new BuildError(
      'ERR_COPY_SOURCE',
      `failed to download ${url}: the server returned ${status} ${response.statusMessage ?? ''}; check the URL`,
    );
  }
  return response;
}

/**
 * Node.js's codes of a server certificate that no trusted authority signed,
 * such as `UNABLE_TO_VERIFY_LEAF_SIGNATURE` and `SELF_SIGNED_CERT_IN_CHAIN`.
 */
const UNTRUSTED_CERTIFICATE = /SELF_SIGNED|UNABLE_TO_(VERIFY|GET_ISSUER)/;

function fixFor(error: unknown, extraCaCertsFile: string | undefined): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  if (!UNTRUSTED_CERTIFICATE.test(code)) return 'check the URL';
  if (extraCaCertsFile === undefined || extraCaCertsFile === '') {
    return "if a private certificate authority signed the server's certificate, set NODE_EXTRA_CA_CERTS to a PEM file of its certificate";
  }
  return `the server's certificate is not signed by an authority that Node.js or ${extraCaCertsFile} (NODE_EXTRA_CA_CERTS) trusts; add the PEM certificate of the authority that signed it to that file`;
}

/**
 * Returns the error of a download that failed after its response began: the
 * server closed the connection early (Node.js's `aborted`) or sent invalid
 * gzip data, or the temporary file could not be written.
 */
function transferError(
  url: string,
  error: unknown,
  received: number,
  contentLength: string | undefined,
): BuildError {
  const reason = error instanceof Error ? error.message : String(error);
  const expected = contentLength === undefined ? '' : ` of ${contentLength}`;
  const { code, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  let fix = 'the server closed the connection early; check the server and build again';
  // File-system errors name their call (open, write); a dropped connection does not.
  if (syscall !== undefined) fix = `check the free space and permissions of ${tmpdir()}`;
  // zlib's codes, such as Z_DATA_ERROR and Z_BUF_ERROR.
  if (code?.startsWith('Z_')) fix = 'the server sent invalid gzip data with Content-Encoding: gzip';
  return new BuildError(
    'ERR_COPY_SOURCE',
    `failed to download ${url}: ${reason} after ${received}${expected} bytes; ${fix}`,
    { cause: error },
  );
}

/** Returns whether a response's `Content-Encoding` is gzip, the one encoding Go's client decodes. */
function isGzipEncoded(header: string | undefined): boolean {
  return header?.toLowerCase() === 'gzip';
}

function verifyingHash(checksum: Checksum | undefined): Hash | undefined {
  if (checksum === undefined) return undefined;
  if (checksum.algorithm === 'commit') {
    throw new BuildError(
      'ERR_DOCKERFILE',
      `--checksum=${checksum.text} is a Git commit, which only a Git source takes; give the file's digest, such as --checksum=sha256:<64 hex digits>`,
    );
  }
  return createHash(checksum.algorithm);
}

function checkDigest(url: string, checksum: Checksum, actual: string): void {
  if (actual === checksum.hex) return;
  throw new BuildError(
    'ERR_COPY_SOURCE',
    `the content of ${url} does not match --checksum: expected ${checksum.text}, got ${checksum.algorithm}:${actual}; check the URL or update the checksum`,
  );
}

/**
 * Returns the file name of a download: the last part of the URL's decoded
 * path, else the `filename` of `Content-Disposition`, else `__unnamed__` as
 * BuildKit names it. The path is decoded first, as the classic builder does,
 * so that `%2F` cannot put the file in a subfolder or, with `..%2F`, outside
 * the destination.
 *
 * @throws BuildError `ERR_COPY_SOURCE` when the path has an invalid
 * percent-encoding such as `%zz`.
 */
export function fileName(url: string, contentDisposition: string | undefined): string {
  const path = decodedPath(url);
  const base = posix.basename(path);
  if (!path.endsWith('/') && isFileName(base)) return base;
  const match = /filename="?([^";]+)"?/i.exec(contentDisposition ?? '');
  const named = match?.[1] === undefined ? '' : posix.basename(match[1]);
  return isFileName(named) ? named : UNNAMED;
}

function decodedPath(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname);
  } catch (error) {
    throw new BuildError(
      'ERR_COPY_SOURCE',
      `invalid percent-encoding in ${url}: a % must start a hex pair; write a literal % as %25`,
      { cause: error },
    );
  }
}

function isFileName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..';
}

/**
 * Returns the modification time of a download: its `Last-Modified`, else the
 * Unix epoch, as the classic builder and BuildKit set it (checked against
 * Engine 20.10.24), so that an undated download gives the same layer each build.
 */
function lastModified(header: string | undefined): Date {
  const time = header === undefined ? Number.NaN : Date.parse(header);
  return new Date(Number.isNaN(time) ? 0 : time);
}
