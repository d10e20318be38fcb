/** Matching a request's method and path against the route table. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { BuildQueue } from './build-queue.js';
import type { BuildService } from './build-service.js';
import { ServerError } from './errors.js';
import type { ServerMetrics } from './metrics.js';
import type { ResolvedOptions } from './options.js';

/** Request and server parts passed to every route handler. */
export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  /** Values of the `:name` segments of the route's path. */
  readonly params: Readonly<Record<string, string>>;
  readonly app: AppParts;
}

/** The parts of a running server that handlers use. */
export interface AppParts {
  readonly options: ResolvedOptions;
  readonly builds: BuildService;
  readonly queue: BuildQueue;
  readonly metrics: ServerMetrics;
  readonly logger: Logger;
}

/** One entry of the route table. */
export interface Route {
  readonly method: 'GET' | 'HEAD' | 'POST' | 'DELETE';
  /** Path with `:name` segments, such as `/v1/builds/:id`. */
  readonly path: string;
  /** Whether the route is served without the token. */
  readonly public?: boolean;
  /** Whether the route is part of the Engine API, so it is also served under `/v1.NN/`. */
  readonly engine?: boolean;
  /** Whether a browser loads the route, so a 401 carries an HTTP Basic challenge. */
  readonly browser?: boolean;
  handle(context: RequestContext): Promise<void> | void;
}

/** A route matched to a request. */
export interface RouteMatch {
  readonly route: Route;
  readonly params: Record<string, string>;
}

/** Highest Engine API version the server speaks, and the lowest it accepts in a path. */
export const API_VERSION = '1.41';
export const MIN_API_VERSION = '1.24';

const VERSIONED = /^\/v(\d+)\.(\d+)(\/.*)$/;

/**
 * Finds the route of a request. Engine routes also match under a version
 * prefix (`/v1.41/build`).
 *
 * @throws {ServerError} `ERR_NOT_FOUND`, `ERR_METHOD_NOT_ALLOWED`, or
 * `ERR_API_VERSION` for a version prefix the server does not speak.
 */
export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  const versioned = VERSIONED.exec(path);
  const candidates = versioned === null ? routes : routes.filter((route) => route.engine);
  if (versioned !== null) checkApiVersion(Number(versioned[1]), Number(versioned[2]));
  const bare = versioned?.[3] ?? path;
  const matches = candidates.flatMap((route) => {
    const params = matchPath(route.path, bare);
    return params === undefined ? [] : [{ route, params }];
  });
  const match = matches.find((candidate) => candidate.route.method === method);
  if (match !== undefined) return match;
  if (matches.length === 0) {
    throw new ServerError('ERR_NOT_FOUND', `No route for ${method} ${path}; see /openapi.json.`);
  }
  const allowed = [...new Set(matches.map((candidate) => candidate.route.method))];
  throw new ServerError(
    'ERR_METHOD_NOT_ALLOWED',
    `Method ${method} is not allowed on ${path}; use ${allowed.join(', ')}.`,
    { allow: allowed },
  );
}

function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const patternParts = pattern.split('/');
  const pathParts = path.split('/');
  if (patternParts.length !== pathParts.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of patternParts.entries()) {
    const actual = pathParts[index] ?? '';
    if (part.startsWith(':') && actual !== '') params[part.slice(1)] = decodeSegment(actual);
    else if (part !== actual) return undefined;
  }
  return params;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // A malformed escape matches no id, so the handler responds 404.
    return segment;
  }
}

function checkApiVersion(major: number, minor: number): void {
  const [maxMajor, maxMinor] = API_VERSION.split('.').map(Number) as [number, number];
  const [minMajor, minMinor] = MIN_API_VERSION.split('.').map(Number) as [number, number];
  const value = major * 1000 + minor;
  if (value > maxMajor * 1000 + maxMinor) {
    throw new ServerError(
      'ERR_API_VERSION',
      `client version ${major}.${minor} is too new. Maximum supported API version is ${API_VERSION}`,
    );
  }
  if (value < minMajor * 1000 + minMinor) {
    throw new ServerError(
      'ERR_API_VERSION',
      `client version ${major}.${minor} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`,
    );
  }
}
