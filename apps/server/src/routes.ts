/** The route table: the Engine API subset, gantry's API, and the page. */
import { BUILD_ROUTES } from './build-routes.js';
import { ENGINE_ROUTES } from './engine-routes.js';
import { OPENAPI_DOCUMENT } from './openapi.js';
import { PAGE_ROUTES } from './page.js';
import { PARSE_ROUTES } from './parse-route.js';
import { sendJson, sendText } from './respond.js';
import type { Route } from './router.js';

const SERVICE_ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: '/healthz',
    public: true,
    handle: ({ res }) => sendJson(res, 200, { status: 'ok' }),
  },
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

/** Every route of the server. */
export const ROUTES: readonly Route[] = [
  ...ENGINE_ROUTES,
  ...BUILD_ROUTES,
  ...PARSE_ROUTES,
  ...SERVICE_ROUTES,
  ...PAGE_ROUTES,
];
