import { randomUUID } from 'node:crypto';
import type { EngineTestFixture } from '@gantry/testing';
import Dockerode from 'dockerode';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { DockerEngine } from './docker-engine.js';
import { ConflictError, ContainerNotFoundError, ImageNotFoundError } from './errors.js';
import { BUSYBOX, connectTestEngine } from './test-engine.js';
import { withContainer } from './with-container.js';

let engine: DockerEngine;
let fixture: EngineTestFixture;

beforeAll(async () => {
  ({ engine, fixture } = await connectTestEngine());
});
afterEach(() => fixture.cleanup());
afterAll(() => fixture.cleanup());

function shell(script: string) {
  return { config: { Image: BUSYBOX, Cmd: ['sh', '-c', script], Labels: fixture.labels } };
}

/** Lists the actions of the engine's container events since `since` (seconds) for containers with `labels`. */
async function containerEvents(since: number, labels: Record<string, string>): Promise<string[]> {
  const docker = new Dockerode();
  const until = Math.floor(Date.now() / 1000) + 1;
  const label = Object.entries(labels).map(([key, value]) => `${key}=${value}`);
  const stream = await docker.getEvents({
    since,
    until,
    filters: JSON.stringify({ type: ['container'], label }),
  });
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as { Action: string }).Action);
}

describe('containers', () => {
  test('create, attach, start, wait', async () => {
    await using container = await engine.containers.create(
      shell('echo to-out; echo to-err >&2; exit 7'),
    );
    const output = await engine.containers.attach(container.id);
    await engine.containers.start(container.id);
    const [text, exit] = await Promise.all([output.text(), engine.containers.wait(container.id)]);
    expect(text.stdout).toBe('to-out\n');
    expect(text.stderr).toBe('to-err\n');
    expect(exit).toEqual({ exitCode: 7 });
  });

  test('inspect shows a published port that answers', async () => {
    await using container = await engine.containers.create({
      config: {
        Image: BUSYBOX,
        Cmd: ['sh', '-c', 'echo served > /tmp/index.html && exec httpd -f -p 8080 -h /tmp'],
        ExposedPorts: { '8080/tcp': {} },
        Labels: fixture.labels,
        HostConfig: { PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } },
      },
    });
    await engine.containers.start(container.id);
    const { NetworkSettings } = await engine.containers.inspect(container.id);
    const binding = NetworkSettings.Ports?.['8080/tcp']?.[0];
    expect(binding?.HostIp).toBe('127.0.0.1');
    expect(Number(binding?.HostPort)).toBeGreaterThan(0);
    const body = await fetchWithRetry(`http://127.0.0.1:${binding?.HostPort}/index.html`);
    expect(body).toBe('served\n');
  });

  test('output as streams keeps the order of each stream', async () => {
    const script = 'for i in 1 2 3 4 5; do echo out$i; echo err$i >&2; done';
    await using container = await engine.containers.create(shell(script));
    const { stdout, stderr } = (await engine.containers.attach(container.id)).streams();
    await engine.containers.start(container.id);
    const [out, err] = await Promise.all([readAll(stdout), readAll(stderr)]);
    expect(out).toBe('out1\nout2\nout3\nout4\nout5\n');
    expect(err).toBe('err1\nerr2\nerr3\nerr4\nerr5\n');
    expect((await engine.containers.wait(container.id)).exitCode).toBe(0);
  });

  test('output larger than a frame', async () => {
    await using container = await engine.containers.create(
      shell('head -c 300000 /dev/zero | tr "\\0" a'),
    );
    const output = await engine.containers.attach(container.id);
    await engine.containers.start(container.id);
    const { stdout } = await output.text();
    expect(stdout.length).toBe(300_000);
    expect(stdout.replaceAll('a', '')).toBe('');
  });

  test('Tty container output is raw', async () => {
    const options = shell('echo tty-out');
    await using container = await engine.containers.create({
      config: { ...options.config, Tty: true },
    });
    const output = await engine.containers.attach(container.id, { tty: true });
    await engine.containers.start(container.id);
    expect((await output.text()).stdout).toBe('tty-out\r\n');
  });

  test('inspect and list by label', async () => {
    await using container = await engine.containers.create(shell('true'));
    const details = await engine.containers.inspect(container.id);
    expect(details.State.Status).toBe('created');
    expect(details.Config.Labels).toEqual(fixture.labels);
    const listed = await engine.containers.list({ all: true, labels: [fixture.labelFilter] });
    expect(listed.map((entry) => entry.Id)).toEqual([container.id]);
  });

  test('abort while waiting kills and removes the container', async () => {
    const controller = new AbortController();
    let id = '';
    const run = withContainer(engine.containers, shell('sleep 60'), async (container) => {
      id = container.id;
      await engine.containers.start(container.id);
      return engine.containers.wait(container.id, { signal: controller.signal });
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const reason = new Error('build cancelled');
    controller.abort(reason);
    await expect(run).rejects.toBe(reason);
    await expect(engine.containers.inspect(id)).rejects.toThrow(ContainerNotFoundError);
  });

  test('abort kills the container before removal', async () => {
    const controller = new AbortController();
    await using container = await engine.containers.create(shell('sleep 60'));
    await engine.containers.start(container.id);
    const waiting = engine.containers.wait(container.id, { signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    const exit = await engine.containers.wait(container.id);
    expect(exit.exitCode).toBe(137);
  });

  test('abort during create removes the container', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled during create');
    const marker = { 'gantry.test.case': randomUUID() };
    const since = Math.floor(Date.now() / 1000) - 1;
    const spec = shell('true');
    const creating = engine.containers.create({
      config: { ...spec.config, Labels: { ...spec.config.Labels, ...marker } },
      signal: controller.signal,
    });
    // create() has sent its request by the time it returns the promise, and the
    // request carries no signal, so the engine makes the container either way.
    controller.abort(reason);
    await expect(creating).rejects.toBe(reason);
    const left = await engine.containers.list({ all: true, labels: [fixture.labelFilter] });
    expect(left).toEqual([]);
    const actions = await containerEvents(since, marker);
    expect(actions).toEqual(['create', 'destroy']);
  });

  test('wait with an aborted signal kills', async () => {
    await using container = await engine.containers.create(shell('sleep 60'));
    await engine.containers.start(container.id);
    const reason = new Error('already cancelled');
    const waiting = engine.containers.wait(container.id, { signal: AbortSignal.abort(reason) });
    await expect(waiting).rejects.toBe(reason);
    expect((await engine.containers.inspect(container.id)).State.Running).toBe(false);
  });

  test('abort of attach stops the output', async () => {
    const controller = new AbortController();
    await using container = await engine.containers.create(
      shell('while true; do echo tick; sleep 0.1; done'),
    );
    const output = await engine.containers.attach(container.id, { signal: controller.signal });
    await engine.containers.start(container.id);
    const reason = new Error('stop reading');
    setTimeout(() => controller.abort(reason), 300);
    await expect(output.text()).rejects.toBe(reason);
  });

  test('withContainer removes after a failed step', async () => {
    let id = '';
    const failing = withContainer(engine.containers, shell('true'), async (container) => {
      id = container.id;
      throw new Error('step failed');
    });
    await expect(failing).rejects.toThrow('step failed');
    await expect(engine.containers.inspect(id)).rejects.toThrow(ContainerNotFoundError);
  });

  test('create from a missing image', async () => {
    const create = engine.containers.create({
      config: { Image: 'gantry-missing-image:nope', Labels: fixture.labels },
    });
    await expect(create).rejects.toThrow(ImageNotFoundError);
    await expect(create).rejects.toMatchObject({
      code: 'ERR_IMAGE_NOT_FOUND',
      image: 'gantry-missing-image:nope',
    });
  });

  test('create error names the image', async () => {
    const create = engine.containers.create({
      config: { Image: 'busybox:latest', WorkingDir: '/etc/passwd/work', Labels: fixture.labels },
    });
    await expect(create).rejects.toThrow(
      /^create container from image "busybox:latest" failed \(HTTP 500\): .*not a directory/,
    );
  });

  test('missing container', async () => {
    const inspect = engine.containers.inspect('gantry-no-such-container');
    await expect(inspect).rejects.toThrow(ContainerNotFoundError);
    await expect(inspect).rejects.toMatchObject({
      code: 'ERR_CONTAINER_NOT_FOUND',
      container: 'gantry-no-such-container',
    });
    await expect(engine.containers.start('gantry-no-such-container')).rejects.toThrow(
      ContainerNotFoundError,
    );
  });

  test('name in use is a conflict', async () => {
    const name = `gantry-conflict-${fixture.runId}`;
    await using first = await engine.containers.create({ ...shell('true'), name });
    const second = engine.containers.create({ ...shell('true'), name });
    await expect(second).rejects.toThrow(ConflictError);
    await expect(second).rejects.toMatchObject({ code: 'ERR_CONFLICT' });
    await expect(second).rejects.toThrow(/is already in use/);
    expect(first.id).toMatch(/^[0-9a-f]{64}$/);
  });

  test('kill of a stopped container is a conflict', async () => {
    await using container = await engine.containers.create(shell('true'));
    await expect(engine.containers.kill(container.id)).rejects.toThrow(ConflictError);
  });
});

async function readAll(stream: AsyncIterable<Buffer>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part);
  return Buffer.concat(parts).toString('utf8');
}

// The server inside the container may need a moment after start to listen.
async function fetchWithRetry(url: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await (await fetch(url)).text();
    } catch (error) {
      if (attempt === 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
