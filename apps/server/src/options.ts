/** Options of the build service, their defaults and the checks made before it starts. */
import { isIP } from 'node:net';
import type { LayerCache } from '@gantry/cache';
import type { Logger } from 'pino';
import { ServerError } from './errors.js';

/** Options of {@link startServer}. */
export interface ServerOptions {
  /** Address to listen on; `127.0.0.1` unless set. Any other address needs a `token`. */
  readonly host?: string | undefined;
  /** TCP port; 0 (unless set) picks a free port. */
  readonly port?: number | undefined;
  /**
   * Bearer token that every route but `/healthz` and `/readyz` requires (`Authorization:
   * Bearer <token>`, or HTTP Basic with the token as the password). No
   * authentication unless set.
   */
  readonly token?: string | undefined;
  /** Maximum size of a build context in bytes, compressed and extracted; 1 GiB unless set. */
  readonly maxContextBytes?: number | undefined;
  /** Builds that run at once; 4 unless set. */
  readonly maxConcurrentBuilds?: number | undefined;
  /** Builds that may wait for a free slot; more get 429. 16 unless set. */
  readonly maxQueuedBuilds?: number | undefined;
  /** Finished builds kept for the API and the page, oldest dropped first; 100 unless set. */
  readonly maxRetainedBuilds?: number | undefined;
  /**
   * Bytes of step output that each build keeps for the events route: the first
   * and the last half, with a warning event in place of the output between.
   * Each output event counts 160 bytes more than its data. A stream's client
   * that falls more than the last half behind is disconnected. 4 MiB unless set.
   */
  readonly maxKeptOutputBytes?: number | undefined;
  /** Folder under which each build's context is extracted; the OS temporary folder unless set. */
  readonly workDir?: string | undefined;
  /** Layer cache shared by all builds; the builder's default (file system store) unless set. */
  readonly cache?: LayerCache | undefined;
  /** Pino logger; one writing JSON lines to standard output unless set. */
  readonly logger?: Logger | undefined;
}

/** {@link ServerOptions} with every default filled in. */
export interface ResolvedOptions {
  readonly host: string;
  readonly port: number;
  readonly token: string | undefined;
  readonly maxContextBytes: number;
  readonly maxConcurrentBuilds: number;
  readonly maxQueuedBuilds: number;
  readonly maxRetainedBuilds: number;
  readonly maxKeptOutputBytes: number;
  readonly workDir: string | undefined;
  readonly cache: LayerCache | undefined;
}

/** Default of {@link ServerOptions.maxContextBytes}: 1 GiB. */
export const DEFAULT_MAX_CONTEXT_BYTES = 1024 ** 3;

/** Default of {@link ServerOptions.maxKeptOutputBytes}: 4 MiB. */
export const DEFAULT_MAX_KEPT_OUTPUT_BYTES = 4 * 1024 ** 2;

/**
 * Fills in the defaults and checks the options.
 *
 * @throws {ServerError} `ERR_CONFIG` for a limit that is not a positive
 * integer, an empty token, or a non-loopback host without a token.
 */
export function resolveOptions(options: ServerOptions): ResolvedOptions {
  const resolved: ResolvedOptions = {
    // node:net listens on `::1`, not `[::1]`; the brackets belong in URLs only.
    host: (options.host ?? '127.0.0.1').replace(/^\[(.*)\]$/, '$1'),
    port: checkInteger('port', options.port ?? 0, 0, 65_535),
    token: checkToken(options.token),
    maxContextBytes: checkInteger(
      'maxContextBytes',
      options.maxContextBytes ?? DEFAULT_MAX_CONTEXT_BYTES,
      1,
    ),
    maxConcurrentBuilds: checkInteger('maxConcurrentBuilds', options.maxConcurrentBuilds ?? 4, 1),
    maxQueuedBuilds: checkInteger('maxQueuedBuilds', options.maxQueuedBuilds ?? 16, 0),
    maxRetainedBuilds: checkInteger('maxRetainedBuilds', options.maxRetainedBuilds ?? 100, 1),
    maxKeptOutputBytes: checkInteger(
      'maxKeptOutputBytes',
      options.maxKeptOutputBytes ?? DEFAULT_MAX_KEPT_OUTPUT_BYTES,
      1,
    ),
    workDir: options.workDir,
    cache: options.cache,
  };
  if (resolved.token === undefined && !isLoopback(resolved.host)) {
    throw new ServerError(
      'ERR_CONFIG',
      `Refusing to listen on ${JSON.stringify(resolved.host)} without a token: anyone who ` +
        'reaches that address could run builds on this engine. Set a token (--token-file or ' +
        'GANTRY_SERVER_TOKEN), or listen on 127.0.0.1.',
    );
  }
  return resolved;
}

/** Checks whether an address is on the loopback interface (127.0.0.0/8, ::1 or `localhost`). */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  const unbracketed = host.replace(/^\[|\]$/g, '');
  return unbracketed === '::1' || /^::ffff:127\./i.test(unbracketed);
}

function checkInteger(name: string, value: number, min: number, max?: number): number {
  const inRange = value >= min && (max === undefined || value <= max);
  if (Number.isSafeInteger(value) && inRange) return value;
  const range = max === undefined ? `of at least ${min}` : `from ${min} to ${max}`;
  throw new ServerError(
    'ERR_CONFIG',
    `Invalid ${name} ${JSON.stringify(value)}: expected an integer ${range}.`,
  );
}

function checkToken(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  if (token.trim() === '' || token !== token.trim()) {
    throw new ServerError(
      'ERR_CONFIG',
      'Invalid token: it is empty or starts or ends with white space; use a random string ' +
        'such as the output of `openssl rand -hex 32`.',
    );
  }
  return token;
}
