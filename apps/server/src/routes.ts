/** The route table: the Engine API subset, gantry's API, and the page. */
import type { ServerResponse } from 'node:http';
import { connectDockerEngine, formatEndpoint, resolveEndpoint } from '@gantry/daemon';
import { BUILD_ROUTES } from './build-routes.js';
import { ENGINE_ROUTES } from './engine-routes.js';
import { OPENAPI_DOCUMENT } from './openapi.js';
import { PAGE_ROUTES } from './page.js';
import { PARSE_ROUTES } from './parse-route.js';
import { sendJson, sendText } from './respond.js';
import type { Route } from './router.js';

const SERVICE_ROUTES: readonly Route[] = [
  { method: 'GET', path: '/healthz', public: true, handle: ({ res }) => healthy(res) },
  { method: 'HEAD', path: '/healthz', public: true, handle: ({ res }) => healthy(res) },
  { method: 'GET', path: '/readyz', public: true, handle: ({ res }) => checkEngine(res) },
  { method: 'HEAD', path: '/readyz', public: true, handle: ({ res }) => checkEngine(res) },
  {
    method: 'GET',
    path: '/metrics',
    handle: async ({ res, app }) => {
      const text = await app.metrics.text();
      sendText(res, 200, text, app.metrics.registry.contentType);
    },
  },
  {
    method: 'GET',
    path: '/openapi.json',
    handle: ({ res }) => sendJson(res, 200, OPENAPI_DOCUMENT),
  },
];

/** Responds to the liveness check: the server process is running. */
function healthy(res: ServerResponse): void {
  sendJson(res, 200, { status: 'ok' });
}

/** Time a readiness check waits for the engine. */
const READY_TIMEOUT_MS = 5000;

/**
 * Responds to the readiness check: 200 when the engine returns a ping
 * (reached through `DOCKER_HOST`, as builds reach it), else 503 with the error.
 */
async function checkEngine(res: ServerResponse): Promise<void> {
  const signal = AbortSignal.timeout(READY_TIMEOUT_MS);
  let address = 'the Docker Engine';
  try {
    address = formatEndpoint(await resolveEndpoint());
    const engine = await connectDockerEngine({ signal });
    const ping = await engine.system.ping({ signal });
    sendJson(res, 200, { status: 'ready', engine: { apiVersion: ping.apiVersion ?? null } });
  } catch (error) {
    const message = signal.aborted
      ? `${address} did not answer a ping within ${READY_TIMEOUT_MS / 1000} s; check that ` +
        'the engine is running and that DOCKER_HOST names it'
      : error instanceof Error
        ? error.message
        : String(error);
    sendJson(res, 503, { status: 'engine unreachable', message });
  }
}

/** Every route of the server. */
export const ROUTES: readonly Route[] = [
  ...ENGINE_ROUTES,
  ...BUILD_ROUTES,
  ...PARSE_ROUTES,
  ...SERVICE_ROUTES,
  ...PAGE_ROUTES,
];
