/**
 * `@gantry/server`: the HTTP build service. It builds uploaded contexts with
 * `@gantry/builder`, streams their logs, keeps their records, and speaks the
 * Docker Engine API's build subset so that `docker -H tcp://HOST:PORT build`
 * works against it.
 *
 * @packageDocumentation
 */
export type { BuildState, BuildSummary } from './build-record.js';
export { ServerError, type ServerErrorCode } from './errors.js';
export { createLogger } from './logger.js';
export { OPENAPI_DOCUMENT } from './openapi.js';
export {
  DEFAULT_MAX_CONTEXT_BYTES,
  DEFAULT_MAX_KEPT_OUTPUT_BYTES,
  isLoopback,
  type ServerOptions,
} from './options.js';
export { type GantryServer, startServer } from './server.js';
export type { StepSummary } from './step-table.js';
export { SERVER_VERSION } from './version.js';
