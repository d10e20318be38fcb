/** An HTTP server on 127.0.0.1 that serves the files the ADD-from-a-URL cases download. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

/** The text that stands for the server's `http://127.0.0.1:<port>` in a case's files. */
export const ORIGIN_PLACEHOLDER = '{origin}';

const LAST_MODIFIED = 'Wed, 21 Oct 2015 07:28:00 GMT';

/** Bodies by path; `bundle.tar.gz` is gzip data, which ADD must not extract from a URL. */
const BODIES = new Map<string, Buffer>([
  ['/app.txt', Buffer.from('downloaded\n')],
  ['/bundle.tar.gz', gzipSync('not extracted\n')],
]);

/** A running file server. */
export interface FileServer extends AsyncDisposable {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
}

/** Starts the server on a free port of 127.0.0.1. */
export async function startFileServer(): Promise<FileServer> {
  const server = createServer((request, response) => {
    const body = BODIES.get(request.url ?? '');
    if (body === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Length': body.length, 'Last-Modified': LAST_MODIFIED });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    [Symbol.asyncDispose]: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
