/**
 * ADD from an http URL, served by a server this file starts on 127.0.0.1,
 * compared with the engine's classic builder, which downloads the same URLs.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { makeCertificates, makeTempDir, type TempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTree } from '../../test/differential/file-tree.js';
import { BuildError } from '../errors.js';
import { dockerCliImage, gantryBuild, useTestBench } from '../test-engine.js';
import {
  buildKitImage,
  buildTree,
  digestOf,
  entryAt,
  permissionsOf,
  stepEvents,
} from '../test-image-files.js';

const testFile = useTestBench();

const FROM = 'FROM busybox:latest\n';
const LAST_MODIFIED = 'Wed, 21 Oct 2015 07:28:00 GMT';

/** Bodies the server sends, by path; a test may change one. */
const bodies = new Map<string, Buffer>([['/files/app.txt', Buffer.from('downloaded\n')]]);
/** Path whose last part decodes to `../app.txt`. */
const ENCODED_SLASH = '/files/..%2Fapp.txt';
bodies.set(ENCODED_SLASH, Buffer.from('encoded slash\n'));
/** Redirects by path: a relative `Location`, as servers often send it. */
const redirects = new Map([['/old-name.txt', 'files/app.txt']]);
let server: Server;
let origin = '';
let httpsServer: Server;
let httpsOrigin = '';
let certificates: TempDir;

/** Path whose response is cut short: 100 of 1,000 bytes, then the connection closes. */
const CUT_SHORT = '/cut/short.txt';
/** Path of a file served without `Last-Modified`. */
const UNDATED = '/undated/file.txt';
/** Path whose response sends 10 bytes and then waits for the client to go away. */
const STALLED = '/stalled/file.txt';
/** Path whose response is gzip with `Content-Encoding: gzip`, whether the request accepts gzip or not. */
const GZIP_ENCODED = '/gzip/encoded.txt';
/** Path whose response has `Content-Encoding: gzip` and a body that is not gzip. */
const GZIP_BROKEN = '/gzip/broken.txt';
/** Called when a request for {@link STALLED} arrives. */
let onStalledRequest = () => {};

/** `User-Agent` of each request the file server received. */
const userAgents: string[] = [];

const serveFiles: RequestListener = (request, response) => {
  userAgents.push(request.headers['user-agent'] ?? '');
  if (request.url === CUT_SHORT) {
    response.writeHead(200, { 'Content-Length': 1000 }).write('x'.repeat(100));
    setTimeout(() => response.socket?.destroy(), 50);
    return;
  }

  if (request.url === UNDATED) {
    response.writeHead(200).end('undated\n');
    return;
  }

  if (request.url === GZIP_ENCODED) {
    const body = gzipSync('decoded by the client\n');
    response.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Length': body.length });
    response.end(body);
    return;
  }

  if (request.url === GZIP_BROKEN) {
    response.writeHead(200, { 'Content-Encoding': 'gzip' }).end('not gzip\n');
    return;
  }

  if (request.url === STALLED) {
    response.writeHead(200, { 'Content-Length': 1000 }).write('y'.repeat(10));
    onStalledRequest();
    return;
  }

  // /hops/N redirects N times before the file.
  const hops = /^\/hops\/(\d+)$/.exec(request.url ?? '');
  const left = Number(hops?.[1] ?? 0);
  const location = hops === null ? redirects.get(request.url ?? '') : `/hops/${left - 1}`;
  if (hops !== null && left === 0) {
    response.end('after hops\n');
    return;
  }

  if (location !== undefined) {
    response.writeHead(302, { Location: location }).end();
    return;
  }

  const body = bodies.get(request.url ?? '');
  if (body === undefined) {
    response.writeHead(404).end('not found');
    return;
  }

  response.writeHead(200, { 'Content-Length': body.length, 'Last-Modified': LAST_MODIFIED });
  response.end(body);
};

async function listen(listening: Server, scheme: string): Promise<string> {
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  return `${scheme}://127.0.0.1:${(listening.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  bodies.set('/files/bundle.tar.gz', await gzipTarball());
  server = createServer(serveFiles);
  origin = await listen(server, 'http');
  certificates = await makeTempDir('gantry-add-tls-');
  await makeCertificates(certificates.path);
  const read = (name: string) => readFile(join(certificates.path, name));
  const tls = { cert: await read('server-cert.pem'), key: await read('server-key.pem') };
  httpsServer = createHttpsServer(tls, serveFiles);
  httpsOrigin = await listen(httpsServer, 'https');
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await new Promise((resolve) => httpsServer.close(resolve));
  await certificates[Symbol.asyncDispose]();
});

/** Returns the modification time of a file in an image, read through a container that never starts. */
async function modifiedAt(imageId: string, path: string): Promise<string> {
  const { engine, fixture } = testFile.bench;
  await using container = await engine.containers.create({
    config: { Image: imageId, Cmd: ['/x'], Entrypoint: [''], Labels: fixture.labels },
  });
  const stat = await engine.archives.stat(container.id, { path });
  return new Date(stat?.modifiedAt ?? 0).toISOString();
}

/** Returns a small tar.gz, to check that ADD does not extract a download. */
async function gzipTarball(): Promise<Buffer> {
  const folder = await testFile.context({ 'inside.txt': 'inside\n' });
  const file = join(folder, 'bundle.tar.gz');
  await promisify(execFile)('tar', ['-czf', file, '-C', folder, 'inside.txt']);
  return readFile(file);
}

describe('ADD from a URL', () => {
  it('matches the classic builder', async () => {
    const dockerfile = [
      FROM,
      `ADD ${origin}/files/app.txt ${origin}/files/bundle.tar.gz /downloads/\n`,
      `ADD ${origin}/files/app.txt /renamed.txt\n`,
      `ADD ${origin}/old-name.txt /redirected/\n`,
      // Named after the decoded path's last part, so inside /escaped.
      `ADD ${origin}${ENCODED_SLASH} /escaped/\n`,
    ].join('');
    const folder = await testFile.context({ Dockerfile: dockerfile });
    const classicId = await dockerCliImage(testFile.bench, folder);
    const built = await gantryBuild(testFile.bench, { contextDir: folder });
    expect(built.error).toBeUndefined();
    const { engine, fixture } = testFile.bench;
    const paths = ['/downloads', '/renamed.txt', '/redirected', '/escaped'];
    const expected = await readTree(engine, classicId, paths, fixture.labels);
    const actual = await readTree(engine, built.result?.imageId ?? '', paths, fixture.labels);
    expect(actual).toEqual(expected);
    expect(permissionsOf(entryAt(actual, 'downloads/app.txt'))).toBe('600');
    expect(entryAt(actual, 'downloads/bundle.tar.gz').digest).toBe(
      digestOf(bodies.get('/files/bundle.tar.gz') ?? ''),
    );
    // Named after the URL in the Dockerfile, not the one it redirects to.
    expect(entryAt(actual, 'redirected/old-name.txt').digest).toBe(digestOf('downloaded\n'));
    expect(entryAt(actual, 'escaped/app.txt').digest).toBe(digestOf('encoded slash\n'));
  });

  it("matches the engine's BuildKit", async () => {
    const dockerfile = `${FROM}ADD ${origin}/files/app.txt ${origin}/files/bundle.tar.gz /downloads/\n`;
    const folder = await testFile.context({ Dockerfile: dockerfile });
    const referenceId = await buildKitImage(testFile, folder);
    const built = await gantryBuild(testFile.bench, { contextDir: folder });
    expect(built.error).toBeUndefined();
    const { engine, fixture } = testFile.bench;
    const expected = await readTree(engine, referenceId, ['/downloads'], fixture.labels);
    const actual = await readTree(
      engine,
      built.result?.imageId ?? '',
      ['/downloads'],
      fixture.labels,
    );
    expect(actual).toEqual(expected);
  });

  it('names gantry in User-Agent', async () => {
    userAgents.length = 0;
    const folder = await testFile.context({
      Dockerfile: `${FROM}ADD ${origin}/files/app.txt /a\n`,
    });
    expect((await gantryBuild(testFile.bench, { contextDir: folder })).error).toBeUndefined();
    expect(userAgents).toEqual(['gantry']);
  });

  it('takes the time of Last-Modified', async () => {
    const dockerfile = `${FROM}ADD ${origin}/files/app.txt /app.txt\n`;
    const { built } = await buildTree(testFile, { Dockerfile: dockerfile }, ['/app.txt']);
    const { engine, fixture } = testFile.bench;
    await using container = await engine.containers.create({
      config: {
        Image: built.result?.imageId ?? '',
        Cmd: ['/x'],
        Entrypoint: [''],
        Labels: fixture.labels,
      },
    });
    const stat = await engine.archives.stat(container.id, { path: '/app.txt' });
    expect(new Date(stat?.modifiedAt ?? 0).toISOString()).toBe('2015-10-21T07:28:00.000Z');
  });

  it('decodes a gzip Content-Encoding like classic', async () => {
    const dockerfile = `${FROM}ADD ${origin}${GZIP_ENCODED} /encoded/\n`;
    const folder = await testFile.context({ Dockerfile: dockerfile });
    const classicId = await dockerCliImage(testFile.bench, folder);
    const built = await gantryBuild(testFile.bench, { contextDir: folder });
    expect(built.error).toBeUndefined();
    const { engine, fixture } = testFile.bench;
    const expected = await readTree(engine, classicId, ['/encoded'], fixture.labels);
    const actual = await readTree(
      engine,
      built.result?.imageId ?? '',
      ['/encoded'],
      fixture.labels,
    );
    expect(actual).toEqual(expected);
    expect(entryAt(actual, 'encoded/encoded.txt').digest).toBe(digestOf('decoded by the client\n'));
  });

  it('dates an undated download at the epoch', async () => {
    const dockerfile = `${FROM}ADD ${origin}${UNDATED} /undated.txt\n`;
    const folder = await testFile.context({ Dockerfile: dockerfile });
    const classicId = await dockerCliImage(testFile.bench, folder);
    const built = await gantryBuild(testFile.bench, { contextDir: folder });
    expect(built.error).toBeUndefined();
    const classicTime = await modifiedAt(classicId, '/undated.txt');
    expect(classicTime).toBe('1970-01-01T00:00:00.000Z');
    expect(await modifiedAt(built.result?.imageId ?? '', '/undated.txt')).toBe(classicTime);
  });

  it('names the URL of a download cut short', async () => {
    const dockerfile = `${FROM}ADD ${origin}${CUT_SHORT} /short.txt\n`;
    const folder = await testFile.context({ Dockerfile: dockerfile });
    const built = await gantryBuild(testFile.bench, { contextDir: folder });
    expect(built.error).toBeInstanceOf(BuildError);
    expect((built.error as BuildError).code).toBe('ERR_COPY_SOURCE');
    expect((built.error as BuildError).message).toContain(
      `failed to download ${origin}${CUT_SHORT}`,
    );
    expect((built.error as BuildError).message).toContain('aborted after 100 of 1000 bytes');
  });

  it('rejects with the abort reason mid-download', async () => {
    const dockerfile = `${FROM}ADD ${origin}${STALLED} /stalled.txt\n`;
    const folder = await testFile.context({ Dockerfile: dockerfile });
    const controller = new AbortController();
    const reason = new Error('stopped by the test');
    onStalledRequest = () => setTimeout(() => controller.abort(reason), 100);
    const built = await gantryBuild(testFile.bench, {
      contextDir: folder,
      signal: controller.signal,
    });
    onStalledRequest = () => {};
    expect(built.error).toBe(reason);
  });

  it('verifies --checksum', async () => {
    const hex = createHash('sha256').update('downloaded\n').digest('hex');
    const good = `${FROM}ADD --checksum=sha256:${hex} ${origin}/files/app.txt /app.txt\n`;
    const { tree } = await buildTree(testFile, { Dockerfile: good }, ['/app.txt']);
    expect(entryAt(tree, 'app.txt').digest).toBe(`sha256:${hex}`);
    const wrong = good.replace(hex, '0'.repeat(64));
    const folder = await testFile.context({ Dockerfile: wrong });
    const built = await gantryBuild(testFile.bench, { contextDir: folder });
    expect(built.error).toBeInstanceOf(BuildError);
    expect((built.error as BuildError).code).toBe('ERR_COPY_SOURCE');
    expect((built.error as BuildError).message).toContain('does not match --checksum');
  });

  it('misses the cache when the download changes', async () => {
    bodies.set('/files/changing.txt', Buffer.from('one\n'));
    const dockerfile = `${FROM}ADD ${origin}/files/changing.txt /changing.txt\n`;
    const folder = await testFile.context({ Dockerfile: dockerfile });
    await gantryBuild(testFile.bench, { contextDir: folder });
    const same = await gantryBuild(testFile.bench, { contextDir: folder });
    bodies.set('/files/changing.txt', Buffer.from('two\n'));
    const changed = await gantryBuild(testFile.bench, { contextDir: folder });
    expect(stepEvents(same.events, 2)).toContain('step-cache-hit');
    expect(stepEvents(changed.events, 2)).toContain('step-cache-miss');
  });

  it('stops at the 10th redirect like the classic builder', async () => {
    const nine = await testFile.context({ Dockerfile: `${FROM}ADD ${origin}/hops/9 /h\n` });
    await dockerCliImage(testFile.bench, nine);
    expect((await gantryBuild(testFile.bench, { contextDir: nine })).error).toBeUndefined();
    const ten = await testFile.context({ Dockerfile: `${FROM}ADD ${origin}/hops/10 /h\n` });
    await expect(dockerCliImage(testFile.bench, ten)).rejects.toThrow(/stopped after 10 redirects/);
    const built = await gantryBuild(testFile.bench, { contextDir: ten });
    expect((built.error as BuildError).message).toContain('stopped after 10 redirects');
  });

  it.each([
    ['ADD {origin}/missing /m', 'ERR_COPY_SOURCE', '404'],
    ['COPY {origin}/files/app.txt /a', 'ERR_DOCKERFILE', 'use ADD'],
    ['ADD --checksum=sha256:{zeros} a.txt /a', 'ERR_DOCKERFILE', 'http(s) URL'],
    [`ADD {origin}${GZIP_BROKEN} /b`, 'ERR_COPY_SOURCE', 'invalid gzip data'],
    [
      'ADD {origin}/files/app.txt {origin}/files/bundle.tar.gz /bin',
      'ERR_DOCKERFILE',
      'When using ADD with more than one source file',
    ],
  ])('rejects %s', async (instruction, code, text) => {
    const line = instruction.replaceAll('{origin}', origin).replace('{zeros}', '0'.repeat(64));
    const folder = await testFile.context({ Dockerfile: `${FROM}${line}\n`, 'a.txt': 'a\n' });
    const built = await gantryBuild(testFile.bench, { contextDir: folder });
    expect(built.error).toBeInstanceOf(BuildError);
    expect((built.error as BuildError).code).toBe(code);
    expect((built.error as BuildError).message).toContain(text);
  });
});

describe('ADD from an https URL', () => {
  const dockerfile = () => `${FROM}ADD ${httpsOrigin}/files/app.txt /app.txt\n`;

  it('trusts the certificates of extraCaCertsFile', async () => {
    const folder = await testFile.context({ Dockerfile: dockerfile() });
    const extraCaCertsFile = join(certificates.path, 'ca.pem');
    const built = await gantryBuild(testFile.bench, { contextDir: folder, extraCaCertsFile });
    expect(built.error).toBeUndefined();
    const { engine, fixture } = testFile.bench;
    const tree = await readTree(engine, built.result?.imageId ?? '', ['/app.txt'], fixture.labels);
    expect(entryAt(tree, 'app.txt').digest).toBe(digestOf('downloaded\n'));
  });

  it.each([
    ['no extra file', undefined, /failed to download https:.*certificate.*set NODE_EXTRA_CA_CERTS/],
    [
      'a missing file',
      '/nonexistent/ca.pem',
      /failed to read the extra CA certificates in \/nonexistent\/ca\.pem \(ENOENT\)/,
    ],
  ])('rejects a private authority with %s', async (_name, extraCaCertsFile, message) => {
    const folder = await testFile.context({ Dockerfile: dockerfile() });
    const built = await gantryBuild(testFile.bench, { contextDir: folder, extraCaCertsFile });
    expect(built.error).toBeInstanceOf(BuildError);
    expect((built.error as BuildError).code).toBe('ERR_COPY_SOURCE');
    expect((built.error as BuildError).message).toMatch(message);
    expect((built.error as BuildError).message).not.toContain('check the URL');
  });

  it.each([
    ['another authority', rootCertificates[0] ?? '', /not signed by an authority that .* trusts/],
    ['no certificate', 'not a certificate\n', /contains no PEM certificate/],
  ])('rejects an extra file with %s', async (_name, content, message) => {
    const folder = await testFile.context({ Dockerfile: dockerfile(), 'extra.pem': content });
    const extraCaCertsFile = join(folder, 'extra.pem');
    const built = await gantryBuild(testFile.bench, { contextDir: folder, extraCaCertsFile });
    expect(built.error).toBeInstanceOf(BuildError);
    expect((built.error as BuildError).code).toBe('ERR_COPY_SOURCE');
    expect((built.error as BuildError).message).toMatch(message);
    expect((built.error as BuildError).message).toContain(extraCaCertsFile);
    expect((built.error as BuildError).message).not.toContain('check the URL');
  });
});
