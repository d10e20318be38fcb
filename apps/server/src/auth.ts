/** The bearer-token check that guards every route but the public ones (`/healthz`, `/readyz`). */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ServerError } from './errors.js';

/**
 * Throws unless the request carries the token: `Authorization: Bearer
 * <token>`, or HTTP Basic with the token as the password (any user name),
 * which is what a browser sends after its log-in prompt.
 *
 * @throws {ServerError} `ERR_UNAUTHORIZED`
 */
export function checkToken(req: IncomingMessage, token: string): void {
  const presented = presentedToken(req.headers.authorization);
  if (presented !== undefined && sameSecret(presented, token)) return;
  throw new ServerError(
    'ERR_UNAUTHORIZED',
    presented === undefined
      ? 'Missing credentials: send the server token as "Authorization: Bearer <token>"; ' +
          'the docker CLI sends it from "HttpHeaders" in its config.json.'
      : 'Invalid token: the Authorization header does not carry the server token.',
  );
}

function presentedToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const [scheme, value] = header.split(/\s+/, 2);
  if (value === undefined) return undefined;
  if (scheme?.toLowerCase() === 'bearer') return value;
  if (scheme?.toLowerCase() !== 'basic') return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

/** Compares digests in constant time, so the time taken reveals nothing about the token. */
function sameSecret(presented: string, token: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(presented), digest(token));
}
