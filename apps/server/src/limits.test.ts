import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { cgroupProbe, removeParentCgroup } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import type { BuildSummary } from './build-record.js';
import {
  buildQuery,
  containersLeft,
  containersWithMarker,
  dockerCli,
  postContext,
  readBuildEvents,
  tarContext,
  uploadUntilResponse,
  useTestServer,
  waitFor,
} from './test-server.js';

const MAX_CONTEXT = 64 * 1024;

const test = useTestServer({
  maxContextBytes: MAX_CONTEXT,
  maxConcurrentBuilds: 1,
  maxQueuedBuilds: 1,
});

async function listBuilds(): Promise<BuildSummary[]> {
  const response = await test.fetch('/v1/builds');
  return ((await response.json()) as { builds: BuildSummary[] }).builds;
}

async function cancelAll(): Promise<void> {
  for (const build of await listBuilds()) {
    if (build.finishedAt === undefined) {
      await test.fetch(`/v1/builds/${build.id}`, { method: 'DELETE' });
    }
  }
  await waitFor(async () => (await listBuilds()).every((build) => build.finishedAt !== undefined));
}

/** Reads `gantry_http_requests_total` of one route and status from the metrics route. */
async function requestCount(route: string, status: number): Promise<number> {
  const text = await (await test.fetch('/metrics')).text();
  const series = `gantry_http_requests_total{route="${route}",status="${status}"} `;
  const line = text.split('\n').find((row) => row.startsWith(series));
  return line === undefined ? 0 : Number(line.slice(series.length));
}

async function errorOf(response: Response) {
  return (await response.json()) as { code: string; message: string; parameter?: string };
}

describe('context size', () => {
  it('413 arrives while the body streams', async () => {
    const upload = await uploadUntilResponse(test, '/build', Buffer.alloc(16 * 1024), 64 << 20);
    expect(upload.status).toBe(413);
    expect(upload.bytesSent).toBeLessThan(64 << 20);
    expect(JSON.parse(upload.body).code).toBe('ERR_CONTEXT_TOO_LARGE');
  });

  it('Content-Length over the limit is a 413', async () => {
    const context = Buffer.alloc(MAX_CONTEXT + 1024);
    const response = await postContext(test, '/v1/builds', context);
    expect(response.status).toBe(413);
    expect((await errorOf(response)).message).toContain('Content-Length');
  });

  it('extracted size is limited too', async () => {
    const context = gzipSync(
      await tarContext({ Dockerfile: 'FROM busybox:latest\n', zeros: '\0'.repeat(MAX_CONTEXT) }),
    );
    expect(context.length).toBeLessThan(MAX_CONTEXT);
    const response = await postContext(test, '/v1/builds', context);
    expect(response.status).toBe(413);
    expect((await errorOf(response)).message).toContain('extracted tar');
  });

  it('gzip-compressed context builds', async () => {
    const context = gzipSync(await tarContext({ Dockerfile: 'FROM busybox:latest\nENV Z=1\n' }));
    const response = await postContext(test, `/build?${buildQuery(test.fixture)}`, context);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('"aux":{"ID":"sha256:');
  });

  it('non-tar body is a 400', async () => {
    const response = await postContext(test, '/v1/builds', Buffer.from('x'.repeat(2048)));
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('ERR_INVALID_CONTEXT');
  });

  it('bzip2 context is a 400 naming the compression', async () => {
    const response = await postContext(test, '/v1/builds', Buffer.from('BZh91AY&SY'));
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toContain('bzip2');
  });
});

describe('queue', () => {
  it('full queue answers 429', async () => {
    const marker = `queue-${test.fixture.runId}`;
    const slow = await tarContext({
      Dockerfile: `FROM busybox:latest\nRUN echo ${marker}; sleep 60\n`,
    });
    const running = await postContext(test, `/v1/builds?${buildQuery(test.fixture)}`, slow);
    expect(running.status).toBe(202);
    const runningBuild = (await running.json()) as BuildSummary;
    const waiting = await postContext(test, `/v1/builds?${buildQuery(test.fixture)}`, slow);
    expect(waiting.status).toBe(202);
    const waitingBuild = (await waiting.json()) as BuildSummary;
    expect(waitingBuild.state).toBe('queued');
    const rejected = await postContext(test, `/v1/builds?${buildQuery(test.fixture)}`, slow);
    expect(rejected.status).toBe(429);
    expect(rejected.headers.get('retry-after')).toBe('5');
    expect((await errorOf(rejected)).message).toContain('1 running and 1 waiting');
    // Cancel once the step runs: see the README on a cancel during container creation.
    await waitFor(async () => {
      const builds = await listBuilds();
      // build-start, two step-starts, a step-done, a cache miss, a container and its output.
      return builds.some((build) => build.id === runningBuild.id && build.eventCount >= 7);
    });
    await cancelAll();
    expect(await containersWithMarker(test, marker)).toEqual([]);
  });

  it('queued build runs after the first ends', async () => {
    const context = await tarContext({ Dockerfile: 'FROM busybox:latest\nRUN sleep 1\n' });
    const first = (await (
      await postContext(test, `/v1/builds?${buildQuery(test.fixture)}`, context)
    ).json()) as BuildSummary;
    const second = (await (
      await postContext(test, `/v1/builds?${buildQuery(test.fixture)}`, context)
    ).json()) as BuildSummary;
    await waitFor(async () =>
      (await listBuilds()).every((build) => build.finishedAt !== undefined),
    );
    const builds = await listBuilds();
    const firstBuild = builds.find((build) => build.id === first.id);
    const secondBuild = builds.find((build) => build.id === second.id);
    expect(secondBuild?.startedAt).toBeGreaterThanOrEqual(firstBuild?.finishedAt ?? Infinity);
    expect(firstBuild?.state).toBe('succeeded');
    expect(secondBuild?.state).toBe('succeeded');
  });
});

describe('request validation', () => {
  const cases: Array<[string, string]> = [
    ['t=Bad:Tag:x', 't'],
    ['buildargs=%7Bnot-json', 'buildargs'],
    ['buildargs=%7B%22A%22%3A1%7D', 'buildargs'],
    ['labels=%5B%5D', 'labels'],
    ['labels=%7B%22a%22%3Anull%7D', 'labels'],
    ['networkmode=bad%20mode', 'networkmode'],
    ['networkmode=user-network', 'networkmode'],
    ['dockerfile=..%2Fetc%2Fpasswd', 'dockerfile'],
    ['dockerfile=%2Fetc%2Fpasswd', 'dockerfile'],
    ['memory=lots', 'memory'],
    ['cpuperiod=abc', 'cpuperiod'],
    ['ulimits=%7B%7D', 'ulimits'],
    ['securityopt=seccomp%3Dunconfined', 'securityopt'],
    ['isolation=hyperv', 'isolation'],
    ['platform=linux%2Famd64%2Fv1%2Fx', 'platform'],
    ['remote=https%3A%2F%2Fexample.invalid%2Fctx.tar', 'remote'],
  ];

  it.each(cases)('query %s is a 400 naming %s', async (query, parameter) => {
    const context = await tarContext({ Dockerfile: 'FROM busybox:latest\n' });
    const response = await postContext(test, `/build?${query}`, context);
    expect(response.status).toBe(400);
    const body = await errorOf(response);
    expect(body.parameter).toBe(parameter);
    expect(body.message).toContain(parameter);
  });

  it('docker CLI defaults are accepted', async () => {
    const query =
      'buildargs=%7B%7D&cachefrom=%5B%5D&cgroupparent=&cpuperiod=0&cpuquota=0&cpusetcpus=' +
      '&cpusetmems=&cpushares=0&dockerfile=Dockerfile&labels=%7B%7D&memory=0&memswap=0' +
      '&networkmode=default&rm=1&shmsize=0&target=&ulimits=null&version=1';
    const context = await tarContext({ Dockerfile: 'FROM busybox:latest\n' });
    const response = await postContext(test, `/build?${query}`, context);
    expect(response.status).toBe(200);
    await response.text();
  });

  it('Dockerfile that is a folder is a 400', async () => {
    const { pack } = await import('tar-stream');
    const archive = pack();
    archive.entry({ name: 'Dockerfile', type: 'directory' });
    archive.finalize();
    const chunks: Buffer[] = [];
    for await (const chunk of archive) chunks.push(chunk as Buffer);
    const response = await postContext(test, '/build', Buffer.concat(chunks));
    expect(response.status).toBe(400);
    const body = await errorOf(response);
    expect(body.parameter).toBe('dockerfile');
    expect(body.message).toContain('it is a folder of the build context');
    expect(body.message).not.toContain('gantry-context-');
  });

  it('invalid entry message has no server path', async () => {
    const { pack } = await import('tar-stream');
    const archive = pack();
    archive.entry({ name: 'Dockerfile' }, 'FROM busybox:latest\n');
    archive.entry({ name: 'hard', type: 'link', linkname: '/etc/passwd' });
    archive.finalize();
    const chunks: Buffer[] = [];
    for await (const chunk of archive) chunks.push(chunk as Buffer);
    const response = await postContext(test, '/build', Buffer.concat(chunks));
    expect(response.status).toBe(400);
    const body = await errorOf(response);
    expect(body.code).toBe('ERR_INVALID_CONTEXT');
    expect(body.message).toContain('hard link "hard" to "/etc/passwd"');
    expect(body.message).not.toContain('gantry-context-');
  });

  it('Dockerfile link out of the context is a 400', async () => {
    const { pack } = await import('tar-stream');
    const archive = pack();
    archive.entry({ name: 'Dockerfile', type: 'symlink', linkname: '/etc/passwd' });
    archive.finalize();
    const chunks: Buffer[] = [];
    for await (const chunk of archive) chunks.push(chunk as Buffer);
    const response = await postContext(test, '/build', Buffer.concat(chunks));
    expect(response.status).toBe(400);
    const body = await errorOf(response);
    expect(body.parameter).toBe('dockerfile');
    expect(body.message).not.toContain('root:');
  });
});

describe('disconnect and failures', () => {
  it('client disconnect cancels the build', async () => {
    const marker = `disconnect-${test.fixture.runId}`;
    const context = await tarContext({
      Dockerfile: `FROM busybox:latest\nRUN echo ${marker}; sleep 60\n`,
    });
    const countBefore = await requestCount('/build', 499);

    await new Promise<void>((resolve, reject) => {
      const request = httpRequest(`${test.url}/build?${buildQuery(test.fixture)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-tar' },
      });
      request.on('response', (response) => {
        response.on('data', (chunk: Buffer) => {
          // The step's output, not its `Step 2/3 : RUN echo ...` line.
          if (chunk.toString('utf8').includes(`{"stream":"${marker}\\n"}`)) {
            request.destroy();
            resolve();
          }
        });
      });
      request.on('error', (error) => {
        if (!request.destroyed) reject(error);
      });
      request.end(context);
    });

    await waitFor(async () => (await listBuilds())[0]?.finishedAt !== undefined);
    const [build] = await listBuilds();
    expect(build?.state).toBe('cancelled');
    expect(build?.error).toContain('closed the connection');
    expect(await requestCount('/build', 499)).toBe(countBefore + 1);
    const events = await readBuildEvents(test, build?.id ?? '');
    expect(await containersLeft(test, events)).toEqual([]);
    expect(await containersWithMarker(test, marker)).toEqual([]);
  });

  it('failing builds leave the server up', async () => {
    const broken = await postContext(test, '/build', Buffer.from('\x00garbage'.repeat(300)));
    expect(broken.status).toBe(400);
    const failing = await tarContext({ Dockerfile: 'FROM busybox:latest\nRUN exit 9\n' });
    const failed = await postContext(test, `/build?${buildQuery(test.fixture)}`, failing);
    expect(await failed.text()).toContain('"errorDetail"');
    const unparsable = await tarContext({ Dockerfile: 'FROM\n' });
    const rejected = await postContext(test, `/build?${buildQuery(test.fixture)}`, unparsable);
    expect(await rejected.text()).toContain('"errorDetail"');
    expect((await test.fetch('/healthz')).status).toBe(200);
    const working = await tarContext({ Dockerfile: 'FROM busybox:latest\nENV OK=1\n' });
    const built = await postContext(test, `/build?${buildQuery(test.fixture)}`, working);
    expect(await built.text()).toContain('"aux"');
  });
});

describe('docker CLI resource flags', () => {
  /** Runs the docker CLI 20.10 against the server with the classic builder. */
  function dockerBuild(args: readonly string[]) {
    const host = test.url.replace('http://', 'tcp://');
    return dockerCli('/usr/bin/docker', ['-H', host, 'build', ...args], { DOCKER_BUILDKIT: '0' });
  }

  it('cgroup and ulimit flags reach RUN', async () => {
    const info = await test.engine.system.info();
    const cgroupVersion = String(info.CgroupVersion ?? '1');
    const parent = `/gantry-server-test-${test.fixture.runId}`;
    const folder = await mkdtemp(join(tmpdir(), 'gantry-server-limits-'));
    try {
      await writeFile(
        join(folder, 'Dockerfile'),
        `FROM busybox:latest\nRUN ${cgroupProbe(cgroupVersion, 'ulimit -Sn && ulimit -Hn')}\n`,
      );
      const flags = ['--no-cache', '--label', test.fixture.labelFilter];
      const limits = ['--ulimit', 'nofile=1024:2048', '--cgroup-parent', parent];
      const cpu = ['--cpu-period', '100000', '--cpu-quota', '50000', '--cpuset-mems', '0'];
      const built = await dockerBuild([...flags, ...limits, ...cpu, folder]);
      expect(built.stderr).toBe('');
      expect(built.code).toBe(0);
      // NOTE: the cgroup v2 values are untested, because the test machine's engine uses cgroup v1.
      const cgroups = cgroupVersion === '2' ? '50000 100000\n0\n' : `100000\n50000\n0\n${parent}\n`;
      expect(built.stdout).toContain(`1024\n2048\n${cgroups}`);
    } finally {
      await rm(folder, { recursive: true, force: true });
      await removeParentCgroup(parent);
    }
  });

  it.each([
    [
      ['--security-opt', 'seccomp=unconfined'],
      'Error response from daemon: Unsupported securityopt "seccomp=unconfined"',
    ],
    [['--isolation', 'hyperv'], 'Error response from daemon: Unsupported isolation "hyperv"'],
  ])('%j fails as on the engine', async (flags, message) => {
    const folder = await mkdtemp(join(tmpdir(), 'gantry-server-limits-'));
    try {
      await writeFile(join(folder, 'Dockerfile'), 'FROM busybox:latest\n');
      const built = await dockerBuild([...flags, folder]);
      expect(built.code).toBe(1);
      expect(built.stderr).toContain(message);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
