import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildQuery,
  containersLeft,
  dockerCli,
  postContext,
  readBuildEvents,
  tarContext,
  useTestServer,
} from './test-server.js';

const DOCKER_20 = '/usr/bin/docker';
const DOCKER_28 = '/usr/local/bin/docker';
const DOCKERFILE =
  'FROM busybox:latest\nRUN echo hello from run\nCOPY greeting.txt /greeting.txt\n';

const test = useTestServer();
let contextDir: string;

beforeAll(async () => {
  contextDir = await mkdtemp(join(tmpdir(), 'gantry-server-context-'));
  await writeFile(join(contextDir, 'Dockerfile'), DOCKERFILE);
  await writeFile(join(contextDir, 'greeting.txt'), 'hello\n');
});

afterAll(async () => {
  await rm(contextDir, { recursive: true, force: true });
});

/** Replaces image and container ids and the context size, to compare log shapes. */
function shapeOf(log: string): string {
  return log
    .replace(/Docker daemon {2}\S+/g, 'Docker daemon  <size>')
    .replace(/\b[0-9a-f]{12}\b/g, '<id>')
    .replace(/\r/g, '');
}

function cliArgs(tag: string): string[] {
  return ['-H', test.url.replace('http://', 'tcp://'), 'build', '--no-cache'].concat([
    '--label',
    test.fixture.labelFilter,
    '-t',
    tag,
    contextDir,
  ]);
}

describe('ping and version', () => {
  it('ping offers the classic builder', async () => {
    const response = await test.fetch('/_ping');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('OK');
    expect(response.headers.get('builder-version')).toBe('1');
    expect(response.headers.get('api-version')).toBe('1.41');
    expect(response.headers.get('docker-experimental')).toBe('false');
    expect(response.headers.get('ostype')).toBe('linux');
  });

  it('HEAD ping has headers and no body', async () => {
    const response = await test.fetch('/v1.41/_ping', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('builder-version')).toBe('1');
    expect(await response.text()).toBe('');
  });

  it('version reports API 1.41', async () => {
    const response = await test.fetch('/v1.41/version');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.ApiVersion).toBe('1.41');
    expect(body.Os).toBe('linux');
  });

  it('too new an API version is a 400', async () => {
    const response = await test.fetch('/v1.99/version');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toContain(
      'Maximum supported API version is 1.41',
    );
  });

  it('gantry routes do not answer under a version prefix', async () => {
    const response = await test.fetch('/v1.41/v1/builds');
    expect(response.status).toBe(404);
  });
});

describe('docker CLI build through the server', () => {
  it('20.10 client prints the classic log', async () => {
    const tag = `gantry-server-test:cli20-${test.fixture.runId}`;
    const reference = await dockerCli(DOCKER_20, ['build', ...cliArgs(tag).slice(3)], {
      DOCKER_BUILDKIT: '0',
    });
    expect(reference.code).toBe(0);
    test.fixture.trackImage(tag);
    // Remove the reference image, so the server's tag is the only one.
    await test.engine.images.remove(tag, { force: true });
    const viaServer = await dockerCli(DOCKER_20, cliArgs(tag));
    expect(viaServer.stderr).toBe('');
    expect(viaServer.code).toBe(0);
    expect(shapeOf(viaServer.stdout)).toBe(shapeOf(reference.stdout));
    const imageId = /Successfully built ([0-9a-f]{12})/.exec(viaServer.stdout)?.[1];
    const image = await test.engine.images.inspect(tag);
    expect(image.Id.slice(7, 19)).toBe(imageId);
    expect(image.Config?.Labels?.['io.gantry.test']).toBe(test.fixture.runId);
  });

  it('28.x client with DOCKER_BUILDKIT=0 builds', async () => {
    const tag = `gantry-server-test:cli28-${test.fixture.runId}`;
    const result = await dockerCli(DOCKER_28, cliArgs(tag), { DOCKER_BUILDKIT: '0' });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Step 3\/4 : COPY greeting.txt \/greeting.txt$/m);
    expect(result.stdout).toMatch(/^Successfully tagged gantry-server-test:cli28-/m);
    expect(await test.engine.images.exists(tag)).toBe(true);
  });

  it('quiet build prints the image id', async () => {
    const tag = `gantry-server-test:quiet-${test.fixture.runId}`;
    const args = cliArgs(tag);
    args.splice(3, 0, '-q');
    const result = await dockerCli(DOCKER_20, args);
    expect(result.code).toBe(0);
    const image = await test.engine.images.inspect(tag);
    expect(result.stdout.trim()).toBe(image.Id);
  });

  it('build flags reach the build', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'gantry-server-flags-'));
    try {
      await mkdir(join(folder, 'docker'));
      await writeFile(
        join(folder, 'docker', 'app.Dockerfile'),
        'FROM busybox:latest AS first\nRUN exit 7\n' +
          'FROM busybox:latest AS second\nARG V\nRUN echo "v=$V" > /v && cat /v\n',
      );
      const tags = [
        `gantry-server-test:flags-a-${test.fixture.runId}`,
        `gantry-server-test:flags-b-${test.fixture.runId}`,
      ];
      const server = test.url.replace('http://', 'tcp://');
      const args = ['-H', server, 'build', '-f', join(folder, 'docker', 'app.Dockerfile')];
      args.push('--build-arg', 'V=from-flag', '--target', 'second', '--network', 'none');
      args.push(
        '--label',
        test.fixture.labelFilter,
        '-t',
        tags[0] ?? '',
        '-t',
        tags[1] ?? '',
        folder,
      );
      const result = await dockerCli(DOCKER_20, args);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^v=from-flag$/m);
      expect(result.stdout).not.toContain('exit 7');
      const first = await test.engine.images.inspect(tags[0] ?? '');
      const second = await test.engine.images.inspect(tags[1] ?? '');
      expect(second.Id).toBe(first.Id);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('--add-host and --memory reach RUN steps', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'gantry-server-resources-'));
    try {
      const probe = 'grep gantry-db /etc/hosts && cat /sys/fs/cgroup/memory/memory.limit_in_bytes';
      await writeFile(join(folder, 'Dockerfile'), `FROM busybox:latest\nRUN ${probe}\n`);
      const server = test.url.replace('http://', 'tcp://');
      const args = ['-H', server, 'build', '--no-cache', '--label', test.fixture.labelFilter];
      args.push('--add-host', 'gantry-db:10.1.2.3', '-m', '128m', folder);
      const result = await dockerCli(DOCKER_20, args);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('10.1.2.3\tgantry-db\n134217728\n');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('--network bridge builds', async () => {
    const server = test.url.replace('http://', 'tcp://');
    const args = ['-H', server, 'build', '--no-cache', '--network', 'bridge'];
    args.push('--label', test.fixture.labelFilter, contextDir);
    const result = await dockerCli(DOCKER_20, args);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^hello from run$/m);
  });

  it('context with a named pipe builds', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'gantry-server-fifo-'));
    try {
      await writeFile(join(folder, 'Dockerfile'), 'FROM busybox:latest\nCOPY . /context/\n');
      await promisify(execFile)('mkfifo', [join(folder, 'pipe')]);
      const server = test.url.replace('http://', 'tcp://');
      const args = ['-H', server, 'build', '--label', test.fixture.labelFilter, folder];
      const result = await dockerCli(DOCKER_20, args);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Successfully built [0-9a-f]{12}$/m);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('Dockerfile from standard input builds', async () => {
    const server = test.url.replace('http://', 'tcp://');
    const tag = `gantry-server-test:stdin-${test.fixture.runId}`;
    const args = ['-H', server, 'build', '-f', '-', '--label', test.fixture.labelFilter];
    args.push('-t', tag, contextDir);
    const child = execFile(DOCKER_20, args);
    child.stdin?.end('FROM busybox:latest\nCOPY greeting.txt /from-stdin.txt\n');
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Step 2\/3 : COPY greeting.txt \/from-stdin.txt$/m);
    expect(await test.engine.images.exists(tag)).toBe(true);
  });

  it('failing RUN exits 1 with the engine message', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'gantry-server-failing-'));
    try {
      await writeFile(join(folder, 'Dockerfile'), 'FROM busybox:latest\nRUN echo out; false\n');
      const server = test.url.replace('http://', 'tcp://');
      const result = await dockerCli(DOCKER_20, ['-H', server, 'build', '--force-rm', folder]);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/^out$/m);
      expect(result.stderr).toContain(
        "The command '/bin/sh -c echo out; false' returned a non-zero code: 1",
      );
      // gantry always removes step containers, as the classic builder does with --force-rm.
      const reference = await dockerCli(DOCKER_20, ['build', '--force-rm', folder], {
        DOCKER_BUILDKIT: '0',
      });
      expect(shapeOf(result.stdout)).toBe(shapeOf(reference.stdout));
      expect(result.stderr).toBe(reference.stderr);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('POST /build stream', () => {
  it('sends stream messages and the image id in aux', async () => {
    const context = await tarContext({ Dockerfile: 'FROM busybox:latest\nENV A=1\n' });
    const response = await postContext(test, `/v1.41/build?${buildQuery(test.fixture)}`, context);
    expect(response.status).toBe(200);
    const lines = (await response.text()).split('\r\n').filter((line) => line !== '');
    const messages = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(messages[0]).toEqual({ stream: 'Step 1/3 : FROM busybox:latest' });
    expect(messages[1]).toEqual({ stream: '\n' });
    const aux = messages.find((message) => message.aux !== undefined);
    expect(aux?.aux).toEqual({ ID: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
  });

  it('sends errorDetail for a failing step', async () => {
    const context = await tarContext({ Dockerfile: 'FROM busybox:latest\nRUN exit 3\n' });
    const response = await postContext(test, `/build?${buildQuery(test.fixture)}`, context);
    const text = await response.text();
    const last = JSON.parse(text.trim().split('\r\n').at(-1) ?? '{}') as Record<string, unknown>;
    expect(last.errorDetail).toEqual({
      code: 3,
      message: "The command '/bin/sh -c exit 3' returned a non-zero code: 3",
    });
  });

  it('missing Dockerfile is a 400', async () => {
    const context = await tarContext({ 'other.txt': 'x' });
    const response = await postContext(test, `/build?${buildQuery(test.fixture)}`, context);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { parameter: string; message: string };
    expect(body.parameter).toBe('dockerfile');
  });

  it('leaves no container after a build', async () => {
    const context = await tarContext({ Dockerfile: 'FROM busybox:latest\nRUN true\n' });
    const response = await postContext(test, `/build?${buildQuery(test.fixture)}`, context);
    await response.text();
    const { builds } = (await (await test.fetch('/v1/builds')).json()) as {
      builds: Array<{ id: string }>;
    };
    const events = await readBuildEvents(test, builds[0]?.id ?? '');
    expect(events.some((event) => event.type === 'container-created')).toBe(true);
    expect(await containersLeft(test, events)).toEqual([]);
  });

  it('keeps the step containers with rm=0', async () => {
    const context = await tarContext({ Dockerfile: 'FROM busybox:latest\nRUN true\n' });
    const query = `${buildQuery(test.fixture)}&rm=0`;
    const response = await postContext(test, `/build?${query}`, context);
    await response.text();
    const { builds } = (await (await test.fetch('/v1/builds')).json()) as {
      builds: Array<{ id: string }>;
    };
    const events = await readBuildEvents(test, builds[0]?.id ?? '');
    const left = await containersLeft(test, events);
    for (const id of left) await test.engine.containers.remove(id, { force: true });
    expect(left).toHaveLength(2);
  });

  it('rejects BuildKit requests naming version', async () => {
    const context = await tarContext({ Dockerfile: 'FROM busybox:latest\n' });
    const response = await postContext(test, '/build?version=2', context);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { parameter: string; message: string };
    expect(body.parameter).toBe('version');
    expect(body.message).toContain('DOCKER_BUILDKIT=0');
  });
});
