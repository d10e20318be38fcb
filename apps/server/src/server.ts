/** `startServer`: the HTTP build service on node:http. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkToken } from './auth.js';
import { BuildQueue } from './build-queue.js';
import { BuildService } from './build-service.js';
import { ServerError } from './errors.js';
import { createLogger } from './logger.js';
import { ServerMetrics } from './metrics.js';
import { resolveOptions, type ServerOptions } from './options.js';
import { sendError } from './respond.js';
import { type AppParts, matchRoute, type Route } from './router.js';
import { ROUTES } from './routes.js';

/** A started build service. */
export interface GantryServer {
  /** Base URL, such as `http://127.0.0.1:2375`. */
  readonly url: string;
  /** Port the server listens on. */
  readonly port: number;
  /** Stops accepting requests, cancels running builds and waits for their clean-up. */
  close(): Promise<void>;
}

/**
 * Starts the build service and resolves once it listens.
 *
 * @throws {ServerError} `ERR_CONFIG` for invalid options, such as a
 * non-loopback host without a token.
 * @example
 * ```ts
 * const server = await startServer({ port: 2375 });
 * // docker -H tcp://127.0.0.1:2375 build .
 * await server.close();
 * ```
 */
export async function startServer(options: ServerOptions = {}): Promise<GantryServer> {
  const resolved = resolveOptions(options);
  const logger = options.logger ?? createLogger();
  const queue = new BuildQueue(resolved.maxConcurrentBuilds, resolved.maxQueuedBuilds);
  const metrics = new ServerMetrics(queue);
  const builds = new BuildService({ options: resolved, queue, metrics, logger });
  const app: AppParts = { options: resolved, builds, queue, metrics, logger };
  const server = createServer((req, res) => {
    handleRequest(app, req, res).catch((error: unknown) => {
      logger.error({ err: error }, 'request handler failed');
    });
  });
  await listen(server, resolved.host, resolved.port);
  const { port } = server.address() as AddressInfo;
  const url = `http://${resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host}:${port}`;
  logger.info(
    {
      url,
      auth: resolved.token === undefined ? 'none' : 'token',
      maxConcurrentBuilds: resolved.maxConcurrentBuilds,
      maxQueuedBuilds: resolved.maxQueuedBuilds,
      maxContextBytes: resolved.maxContextBytes,
      maxKeptOutputBytes: resolved.maxKeptOutputBytes,
    },
    'server started',
  );
  return { url, port, close: () => closeServer(app, server) };
}

async function handleRequest(app: AppParts, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://localhost');
  let route: Route | undefined;
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // 'close' also comes when the client goes away first, as a cancelled docker build does.
  // Such a request counts as 499, nginx's status for a request that the client closed.
  res.on('close', () => {
    const status = res.writableFinished ? res.statusCode : 499;
    app.metrics.observeRequest(route?.path ?? 'unmatched', status);
  });
  try {
    const match = matchRoute(ROUTES, req.method ?? 'GET', url.pathname);
    route = match.route;
    if (app.options.token !== undefined && route.public !== true) {
      authorize(req, res, app.options.token, route);
    }
    await route.handle({ req, res, url, params: match.params, app });
  } catch (error) {
    const status = sendError(res, error);
    const fields = { method: req.method, path: url.pathname, status, err: error };
    if (status >= 500) app.logger.error(fields, 'request failed');
    else app.logger.info(fields, 'request rejected');
  }
}

function authorize(req: IncomingMessage, res: ServerResponse, token: string, route: Route): void {
  try {
    checkToken(req, token);
  } catch (error) {
    const challenge =
      route.browser === true ? 'Basic realm="gantry", charset="UTF-8"' : 'Bearer realm="gantry"';
    res.setHeader('WWW-Authenticate', challenge);
    throw error;
  }
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => reject(listenError(error, host, port));
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
}

/** Words the errors of `listen` with the address and the fix, keeping Node's error as the cause. */
function listenError(error: Error, host: string, port: number): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const fixes: Record<string, string> = {
    EADDRINUSE:
      'the address is already in use; stop what listens there, or choose another --port ' +
      '(0 picks a free one)',
    EACCES: 'permission denied; choose a --port above 1023, or run with the right to bind it',
    EADDRNOTAVAIL: 'no interface of this machine has that address; choose another --host',
    ENOTFOUND: 'the host name does not resolve; set --host to an IP address or a known name',
  };
  const fix = code === undefined ? undefined : fixes[code];
  if (fix === undefined) return error;
  return new ServerError('ERR_CONFIG', `Cannot listen on ${address}: ${fix}.`, { cause: error });
}

async function closeServer(app: AppParts, server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  await app.builds.stop();
  // Event streams of finished builds end by themselves; idle keep-alive sockets do not.
  server.closeIdleConnections();
  server.closeAllConnections();
  await closed;
  app.logger.info('server stopped');
}
