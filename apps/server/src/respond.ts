/** Writing responses: JSON, text, and errors mapped to status codes. */
import type { ServerResponse } from 'node:http';
import { ServerError, type ServerErrorCode } from './errors.js';

const STATUS: Readonly<Record<ServerErrorCode, number>> = {
  ERR_INVALID_PARAMETER: 400,
  ERR_UNSUPPORTED_PARAMETER: 400,
  ERR_INVALID_CONTEXT: 400,
  ERR_API_VERSION: 400,
  ERR_UNAUTHORIZED: 401,
  ERR_NOT_FOUND: 404,
  ERR_METHOD_NOT_ALLOWED: 405,
  ERR_BUILD_FINISHED: 409,
  ERR_BUILD_CANCELLED: 409,
  ERR_CONTEXT_TOO_LARGE: 413,
  ERR_BODY_TOO_LARGE: 413,
  ERR_TOO_MANY_BUILDS: 429,
  // Nginx's code for a client that went away; no client reads it.
  ERR_CLIENT_CLOSED: 499,
  // Sent inside a stream whose status is already 200, never as a status of its own.
  ERR_SLOW_READER: 408,
  ERR_CONFIG: 500,
  ERR_SERVER_STOPPING: 503,
};

/** Returns the HTTP status of an error: its code's status, 500 for anything else. */
export function statusOf(error: unknown): number {
  return error instanceof ServerError ? STATUS[error.code] : 500;
}

/** Sends a JSON body. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Sends a text body with the given content type. */
export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  contentType = 'text/plain; charset=utf-8',
): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Sends an error as `{"message", "code", "parameter"}`. The docker CLI shows
 * `message`, as it shows the engine's errors. A server error's own message
 * stays in the log: the client gets a generic one.
 */
export function sendError(res: ServerResponse, error: unknown): number {
  const status = statusOf(error);
  if (res.headersSent) {
    res.destroy();
    return status;
  }
  const body =
    error instanceof ServerError
      ? { message: error.message, code: error.code, parameter: error.parameter }
      : { message: 'Internal server error; the server log has the details.', code: 'ERR_INTERNAL' };
  // HTTP requires the Allow header on a 405 (RFC 9110, section 15.5.6).
  if (error instanceof ServerError && error.allow !== undefined) {
    res.setHeader('Allow', error.allow.join(', '));
  }
  if (status === 413 || status === 429) res.setHeader('Connection', 'close');
  if (status === 429) res.setHeader('Retry-After', '5');
  sendJson(res, status, body);
  return status;
}
