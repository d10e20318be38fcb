/** Helpers of the server's tests: a started server on a free port, its log, contexts and cleanup. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FileSystemStore, LayerCache } from '@gantry/cache';
import {
  ConflictError,
  connectDockerEngine,
  type DockerEngine,
  ImageNotFoundError,
} from '@gantry/daemon';
import type { BuildEvent } from '@gantry/log-format';
import { EngineTestFixture } from '@gantry/testing';
import { pino } from 'pino';
import { pack } from 'tar-stream';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { BuildSummary } from './build-record.js';
import type { ServerOptions } from './options.js';
import { type GantryServer, startServer } from './server.js';

/** A server started for one test file, with what it needs to clean up after each test. */
export interface TestServer {
  readonly server: GantryServer;
  readonly url: string;
  readonly engine: DockerEngine;
  readonly fixture: EngineTestFixture;
  /** The server's log lines, as pino wrote them. */
  readonly logs: string[];
  readonly token: string | undefined;
  /** Fetches a path of the server, with the token when the server has one. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /**
   * Cancels the server's running builds and waits for their end, then removes
   * every image they made and what the fixture tracks.
   */
  cleanup(): Promise<void>;
  /** Stops the server and removes its cache and work folders. */
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 and a free port with a private cache folder. */
export async function openTestServer(options: ServerOptions = {}): Promise<TestServer> {
  const engine = await connectDockerEngine();
  const fixture = new EngineTestFixture(engine);
  const folder = await mkdtemp(join(tmpdir(), 'gantry-server-test-'));
  const logs: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => logs.push(line) });
  const cache = new LayerCache({
    store: new FileSystemStore({ root: join(folder, 'cache') }),
    confirmImage: (imageId, signal) => engine.images.exists(imageId, { signal }),
  });
  const server = await startServer({ port: 0, logger, cache, workDir: folder, ...options });
  const token = options.token;
  const fetchPath = (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (token !== undefined && !headers.has('authorization')) {
      headers.set('authorization', `Bearer ${token}`);
    }
    return fetch(`${server.url}${path}`, { ...init, headers });
  };
  return {
    server,
    url: server.url,
    engine,
    fixture,
    logs,
    token,
    fetch: fetchPath,
    cleanup: () => removeBuildImages(engine, fixture, fetchPath),
    async close() {
      await server.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/**
 * Opens a test server for the calling test file: started before its first
 * test, its builds' images removed after each test, and closed after the
 * last. The returned server forwards to the one started, so it can be used
 * in tests and hooks only.
 */
export function useTestServer(options: ServerOptions = {}): TestServer {
  let opened: TestServer | undefined;
  const current = (): TestServer => {
    if (opened !== undefined) return opened;
    throw new Error('The test server is not open: use it inside a test or a hook.');
  };
  beforeAll(async () => {
    opened = await openTestServer(options);
  });
  afterEach(async () => {
    await opened?.cleanup();
  });
  afterAll(async () => {
    await opened?.close();
  });
  return {
    get server() {
      return current().server;
    },
    get url() {
      return current().url;
    },
    get engine() {
      return current().engine;
    },
    get fixture() {
      return current().fixture;
    },
    get logs() {
      return current().logs;
    },
    token: options.token,
    fetch: (path, init) => current().fetch(path, init),
    cleanup: () => current().cleanup(),
    close: () => current().close(),
  };
}

/**
 * Removes the images of every build the server keeps (children before
 * parents, because an image with children cannot be removed), then what the
 * fixture tracks and labels. Running builds are cancelled first, so that
 * none commits an image or removes a container while this runs.
 */
async function removeBuildImages(
  engine: DockerEngine,
  fixture: EngineTestFixture,
  fetchPath: (path: string, init?: RequestInit) => Promise<Response>,
): Promise<void> {
  const builds = await endBuilds(fetchPath);
  const images = new Set<string>();
  for (const build of builds) {
    for (const tag of build.tags) fixture.trackImage(tag);
    for (const image of build.createdImages) images.add(image);
  }
  for (let pass = 0; pass < 20 && images.size > 0; pass++) {
    for (const image of [...images].reverse()) {
      try {
        await engine.images.remove(image, { force: true });
        images.delete(image);
      } catch (error) {
        if (error instanceof ImageNotFoundError) images.delete(image);
        else if (!(error instanceof ConflictError)) throw error;
      }
    }
  }
  await fixture.cleanup();
}

/** Cancels every running build of the server, waits for all to end, and lists them. */
async function endBuilds(
  fetchPath: (path: string, init?: RequestInit) => Promise<Response>,
): Promise<BuildSummary[]> {
  const list = async () =>
    ((await (await fetchPath('/v1/builds')).json()) as { builds: BuildSummary[] }).builds;
  for (const build of await list()) {
    if (build.finishedAt === undefined)
      await fetchPath(`/v1/builds/${build.id}`, { method: 'DELETE' });
  }
  let builds = await list();
  await waitFor(async () => {
    builds = await list();
    return builds.every((build) => build.finishedAt !== undefined);
  });
  return builds;
}

/** Packs files (path to text) into a tar archive, as a build context. */
export async function tarContext(files: Readonly<Record<string, string>>): Promise<Buffer> {
  const archive = pack();
  for (const [name, text] of Object.entries(files)) archive.entry({ name, mode: 0o644 }, text);
  archive.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Builds the query string of a build route: `labels` with the fixture's label, and the parameters. */
export function buildQuery(
  fixture: EngineTestFixture,
  parameters: Readonly<Record<string, string | readonly string[]>> = {},
): string {
  const query = new URLSearchParams({ labels: JSON.stringify(fixture.labels) });
  for (const [name, value] of Object.entries(parameters)) {
    for (const item of typeof value === 'string' ? [value] : value) query.append(name, item);
  }
  return query.toString();
}

/** Posts a tar context to a build route. */
export function postContext(
  test: TestServer,
  path: string,
  context: Buffer,
  init: RequestInit = {},
): Promise<Response> {
  return test.fetch(path, {
    ...init,
    method: 'POST',
    headers: { 'content-type': 'application/x-tar', ...(init.headers ?? {}) },
    body: context,
  });
}

const run = promisify(execFile);

/** Runs a docker CLI against the server; returns its exit code and output. */
export async function dockerCli(
  docker: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(docker, [...args], { env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** Waits until `check` returns true, polling every 50 ms, for at most `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** One message of a server-sent event stream. */
export interface EventMessage {
  readonly id: string | undefined;
  readonly event: string;
  readonly data: string;
}

/** Splits a server-sent event stream's text into messages, comments left out. */
export function parseEventStream(text: string): EventMessage[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '' && !block.startsWith(':'))
    .map((block) => {
      const fields = new Map<string, string>();
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        fields.set(line.slice(0, colon), line.slice(colon + 2));
      }
      return {
        id: fields.get('id'),
        event: fields.get('event') ?? 'message',
        data: fields.get('data') ?? '',
      };
    });
}

/** Reads a build's events from the events route; the stream ends with the build. */
export async function readBuildEvents(test: TestServer, buildId: string): Promise<BuildEvent[]> {
  const response = await test.fetch(`/v1/builds/${buildId}/events`);
  const messages = parseEventStream(await response.text());
  return messages
    .filter((message) => message.event === 'message')
    .map((message) => JSON.parse(message.data) as BuildEvent);
}

/** Lists the containers that a build announced and that still exist in the engine. */
export async function containersLeft(test: TestServer, events: readonly BuildEvent[]) {
  const created = new Set(
    events.flatMap((event) => (event.type === 'container-created' ? [event.containerId] : [])),
  );
  const existing = await test.engine.containers.list({ all: true });
  return existing.filter((container) => created.has(container.Id)).map((container) => container.Id);
}

/** Response status and body of a raw request, with the bytes sent before the response came. */
export interface StreamedUpload {
  readonly status: number;
  readonly body: string;
  readonly bytesSent: number;
}

/**
 * Posts `chunk` again and again without a Content-Length until the server
 * responds, or until `maxBytes` are sent. The server has to judge the body
 * while it streams.
 */
export function uploadUntilResponse(
  test: TestServer,
  path: string,
  chunk: Buffer,
  maxBytes: number,
): Promise<StreamedUpload> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/x-tar' };
    if (test.token !== undefined) headers.authorization = `Bearer ${test.token}`;
    const request = httpRequest(`${test.url}${path}`, { method: 'POST', headers });
    let bytesSent = 0;
    let answered = false;
    request.on('response', (response) => {
      answered = true;
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (text: string) => {
        body += text;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, bytesSent }));
    });
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    const send = () => {
      while (!answered && bytesSent < maxBytes) {
        bytesSent += chunk.length;
        if (!request.write(chunk)) {
          request.once('drain', send);
          return;
        }
      }
      request.end();
    };
    send();
  });
}

/**
 * Lists the containers whose summary (command included) contains `marker`,
 * for steps that are cancelled before the build announces their container.
 */
export async function containersWithMarker(test: TestServer, marker: string) {
  const containers = await test.engine.containers.list({ all: true });
  return containers.filter((container) => JSON.stringify(container).includes(marker));
}
