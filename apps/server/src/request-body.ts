/** Reading a small request body whole, within a size limit. */
import type { IncomingMessage } from 'node:http';
import { ServerError } from './errors.js';

/**
 * Reads the body as UTF-8 text, failing as soon as it passes `maxBytes`.
 *
 * @throws {ServerError} `ERR_BODY_TOO_LARGE`
 */
export async function readTextBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const tooLarge = () =>
    new ServerError(
      'ERR_BODY_TOO_LARGE',
      `The request body is larger than the maximum of ${maxBytes} bytes for this route.`,
    );
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
