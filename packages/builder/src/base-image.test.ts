/** FROM of a missing base image: the pull and its log, against the classic builder's. */
import { execFile } from 'node:child_process';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { connectDockerEngine } from '@gantry/daemon';
import { describe, expect, it } from 'vitest';
import { build } from './build.js';
import { gantryBuild, useTestBench } from './test-engine.js';

const run = promisify(execFile);
const testFile = useTestBench();

/** Pushes a copy of busybox to the test registry under a new name; the engine keeps no tag of it. */
async function pushedBusybox(): Promise<string> {
  const { engine, fixture } = testFile.bench;
  const reference = `127.0.0.1:5000/gantry-builder-pull/busybox:${fixture.runId}`;
  await engine.images.tag('busybox:latest', fixture.trackImage(reference));
  for await (const _progress of engine.images.push(reference)) {
    // The push only has to finish.
  }
  await engine.images.remove(reference);
  return reference;
}

/**
 * Starts an HTTP server on 127.0.0.1 that passes each request on to the
 * engine's socket and records its method and path.
 */
async function recordingEngineProxy() {
  const requests: string[] = [];
  const server = createServer((incoming, outgoing) => {
    requests.push(`${incoming.method} ${incoming.url}`);
    const forward = request(
      {
        socketPath: '/var/run/docker.sock',
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    forward.on('error', () => outgoing.destroy());
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    requests,
    address: `tcp://127.0.0.1:${port}`,
    [Symbol.asyncDispose]: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Returns the lines between the FROM step line and its ` ---> id` line. */
function pullLines(log: string): string[] {
  const lines = log.split('\n');
  const from = lines.findIndex((line) => line.startsWith('Step 1/'));
  const done = lines.findIndex((line, index) => index > from && line.startsWith(' ---> '));
  return lines.slice(from + 1, done);
}

describe('base image pull', () => {
  it('prints the pull lines the classic builder prints', async () => {
    const reference = await pushedBusybox();
    const folder = await testFile.context({ Dockerfile: `FROM ${reference}\n` });
    const tag = testFile.bench.fixture.trackImage(
      `gantry-builder-pull-ref:${testFile.bench.fixture.runId}`,
    );
    const cli = await run('/usr/bin/docker', ['build', '-t', tag, folder], {
      env: { ...process.env, DOCKER_BUILDKIT: '0' },
    });
    await testFile.bench.engine.images.remove(reference);
    const gantry = await gantryBuild(testFile.bench, { contextDir: folder });
    expect(gantry.error).toBeUndefined();
    const expected = pullLines(cli.stdout);
    expect(expected.at(-1)).toBe(`Status: Downloaded newer image for ${reference}`);
    expect(pullLines(gantry.log)).toEqual(expected);
  });

  it('emits pull-progress events of the FROM step', async () => {
    const reference = await pushedBusybox();
    const folder = await testFile.context({ Dockerfile: `FROM ${reference}\nENV A=1\n` });
    const gantry = await gantryBuild(testFile.bench, { contextDir: folder });
    const pulls = gantry.events.filter((event) => event.type === 'pull-progress');
    expect(pulls.length).toBeGreaterThan(0);
    expect(pulls.every((event) => event.step === 1 && event.image === reference)).toBe(true);
  });

  it('pulls for the platform option', async () => {
    const reference = await pushedBusybox();
    const folder = await testFile.context({ Dockerfile: `FROM ${reference}\nENV A=1\n` });
    await using proxy = await recordingEngineProxy();
    const engine = await connectDockerEngine({ host: proxy.address });
    const { bench } = testFile;
    await build({
      contextDir: folder,
      engine,
      cache: bench.cache,
      platform: 'linux/amd64',
      onEvent: (event) => {
        if (event.type === 'step-done' && event.step > 1) bench.images.add(event.imageId);
      },
    });
    const pulls = proxy.requests.filter((line) => line.includes('/images/create?'));
    expect(pulls).toHaveLength(1);
    expect(new URL(`http://x${pulls[0]?.split(' ')[1]}`).searchParams.get('platform')).toBe(
      'linux/amd64',
    );
  });

  it('pulls nothing with --pull=never', async () => {
    const reference = await pushedBusybox();
    const folder = await testFile.context({ Dockerfile: `FROM ${reference}\n` });
    const gantry = await gantryBuild(testFile.bench, { contextDir: folder, pull: 'never' });
    expect(gantry.error).toMatchObject({ code: 'ERR_BASE_IMAGE' });
    expect(gantry.events.some((event) => event.type === 'pull-progress')).toBe(false);
  });

  it.each(['never', 'missing'] as const)('fails on the FROM step with --pull=%s', async (pull) => {
    const reference = `127.0.0.1:5000/gantry-builder-pull/absent:${testFile.bench.fixture.runId}`;
    const folder = await testFile.context({ Dockerfile: `ARG A=1\nFROM ${reference}\n` });
    const gantry = await gantryBuild(testFile.bench, { contextDir: folder, pull });
    expect(gantry.error).toMatchObject({ code: 'ERR_BASE_IMAGE' });
    expect(gantry.error).toMatchObject({ location: { step: 2, instruction: `FROM ${reference}` } });
    const failure = gantry.events.find((event) => event.type === 'build-error');
    expect(failure).toMatchObject({ step: 2 });
  });
});
