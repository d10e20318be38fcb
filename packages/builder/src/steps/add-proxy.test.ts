/**
 * ADD downloads through HTTP_PROXY and HTTPS_PROXY. A proxy on 127.0.0.1
 * sends every request, whatever its host, to a file server on 127.0.0.1, so
 * the URLs name a host (`files.test`) that the build never resolves itself.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, request as send } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { makeCertificates, makeTempDir, type TempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTree } from '../../test/differential/file-tree.js';
import { BuildError } from '../errors.js';
import { gantryBuild, useTestBench } from '../test-engine.js';
import { digestOf, entryAt } from '../test-image-files.js';

const testFile = useTestBench();

const FROM = 'FROM busybox:latest\n';
const HOST = 'files.test';
const BODY = 'through the proxy\n';

let certificates: TempDir;
const servers: Server[] = [];
const open = new Set<Socket>();
let httpPort = 0;
let httpsPort = 0;
let proxyPort = 0;
/** Requests the proxy received: method, target and Proxy-Authorization. */
const proxied: string[] = [];

async function listen(server: Server): Promise<number> {
  servers.push(server);
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function forward(request: IncomingMessage, response: import('node:http').ServerResponse): void {
  const target = new URL(request.url ?? '');
  proxied.push(`GET ${target.href} ${request.headers['proxy-authorization'] ?? ''}`.trim());
  const upstream = send(
    { host: '127.0.0.1', port: target.port, path: `${target.pathname}${target.search}` },
    (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    },
  );
  upstream.on('error', () => response.writeHead(502).end());
  upstream.end();
}

function tunnel(request: IncomingMessage, client: Socket, head: Buffer): void {
  proxied.push(`CONNECT ${request.url}`);
  if (request.url?.startsWith('blocked.test:')) {
    client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    return;
  }
  const port = Number((request.url ?? '').split(':').pop());
  const upstream = connect(port, '127.0.0.1', () => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    upstream.write(head);
    upstream.pipe(client).pipe(upstream);
  });
  upstream.on('error', () => client.destroy());
  client.on('error', () => upstream.destroy());
}

beforeAll(async () => {
  certificates = await makeTempDir('gantry-add-proxy-');
  await makeCertificates(certificates.path, [HOST]);
  const read = (name: string) => readFile(join(certificates.path, name));
  const serve = (_request: IncomingMessage, response: import('node:http').ServerResponse) =>
    response.end(BODY);
  httpPort = await listen(createServer(serve));
  const tls = { cert: await read('server-cert.pem'), key: await read('server-key.pem') };
  httpsPort = await listen(createHttpsServer(tls, serve));
  const proxy = createServer(forward);
  proxy.on('connect', tunnel);
  proxyPort = await listen(proxy);
});

afterAll(async () => {
  for (const socket of open) socket.destroy();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  await certificates[Symbol.asyncDispose]();
});

/** Runs `work` with the variables set, and restores them afterwards. */
async function withEnv<T>(variables: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const saved = Object.keys(variables).map((name) => [name, process.env[name]] as const);
  Object.assign(process.env, variables);
  try {
    return await work();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

describe('ADD through a proxy', () => {
  it('downloads through HTTP_PROXY and HTTPS_PROXY', async () => {
    const plain = `http://${HOST}:${httpPort}/plain.txt`;
    const secure = `https://${HOST}:${httpsPort}/secure.txt`;
    const folder = await testFile.context({
      Dockerfile: `${FROM}ADD ${plain} /plain.txt\nADD ${secure} /secure.txt\n`,
    });
    const extraCaCertsFile = join(certificates.path, 'ca.pem');
    const variables = {
      HTTP_PROXY: `http://me:secret@127.0.0.1:${proxyPort}`,
      HTTPS_PROXY: `http://127.0.0.1:${proxyPort}`,
      NO_PROXY: 'other.test',
    };
    const built = await withEnv(variables, () =>
      gantryBuild(testFile.bench, { contextDir: folder, extraCaCertsFile }),
    );
    expect(built.error).toBeUndefined();
    const { engine, fixture } = testFile.bench;
    const paths = ['/plain.txt', '/secure.txt'];
    const tree = await readTree(engine, built.result?.imageId ?? '', paths, fixture.labels);
    expect(entryAt(tree, 'plain.txt').digest).toBe(digestOf(BODY));
    expect(entryAt(tree, 'secure.txt').digest).toBe(digestOf(BODY));
    const authorization = `Basic ${Buffer.from('me:secret').toString('base64')}`;
    expect(proxied).toContain(`GET ${plain} ${authorization}`);
    expect(proxied).toContain(`CONNECT ${HOST}:${httpsPort}`);
  });

  it('names the proxy that rejects a tunnel', async () => {
    const url = `https://blocked.test:${httpsPort}/secure.txt`;
    const folder = await testFile.context({ Dockerfile: `${FROM}ADD ${url} /secure.txt\n` });
    const built = await withEnv({ HTTPS_PROXY: `http://127.0.0.1:${proxyPort}` }, () =>
      gantryBuild(testFile.bench, { contextDir: folder }),
    );
    expect(built.error).toBeInstanceOf(BuildError);
    expect((built.error as BuildError).message).toContain(
      `the proxy http://127.0.0.1:${proxyPort} rejected CONNECT to blocked.test:${httpsPort} (403 Forbidden); check the proxy settings`,
    );
  });

  it('names a proxy it cannot reach', async () => {
    const url = `http://${HOST}:${httpPort}/plain.txt`;
    const folder = await testFile.context({ Dockerfile: `${FROM}ADD ${url} /plain.txt\n` });
    // Port 1 of this machine refuses connections.
    const built = await withEnv({ HTTP_PROXY: 'http://127.0.0.1:1' }, () =>
      gantryBuild(testFile.bench, { contextDir: folder }),
    );
    expect(built.error).toBeInstanceOf(BuildError);
    expect((built.error as BuildError).message).toContain(
      `failed to download ${url}: failed to reach the proxy 127.0.0.1:1 (ECONNREFUSED); check HTTP_PROXY, HTTPS_PROXY and NO_PROXY`,
    );
  });
});
