import type { EngineTestFixture } from '@gantry/testing';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { DockerEngine } from './docker-engine.js';
import type { ImageConfig } from './engine-types.js';
import { BUSYBOX, connectTestEngine } from './test-engine.js';

let engine: DockerEngine;
let fixture: EngineTestFixture;

beforeAll(async () => {
  ({ engine, fixture } = await connectTestEngine());
});
afterEach(() => fixture.cleanup());
afterAll(() => fixture.cleanup());

test('commit stores the full image config', async () => {
  await using container = await engine.containers.create({
    config: { Image: BUSYBOX, Cmd: ['sh', '-c', 'echo built > /stamp'], Labels: fixture.labels },
  });
  await engine.containers.start(container.id);
  expect((await engine.containers.wait(container.id)).exitCode).toBe(0);

  const config: ImageConfig = {
    Env: [
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'GREETING=hello world',
    ],
    Cmd: ['serve', '--port', '8080'],
    Entrypoint: ['/bin/sh', '-c'],
    WorkingDir: '/app',
    User: '1000:1000',
    ExposedPorts: { '8080/tcp': {}, '53/udp': {} },
    Volumes: { '/data': {} },
    Labels: { ...fixture.labels, 'org.example.role': 'web' },
    Healthcheck: {
      Test: ['CMD-SHELL', 'wget -q -O- http://localhost:8080/ || exit 1'],
      Interval: 30_000_000_000,
      Timeout: 5_000_000_000,
      StartPeriod: 1_000_000_000,
      Retries: 3,
    },
    OnBuild: ['RUN echo triggered'],
    StopSignal: 'SIGTERM',
    Shell: ['/bin/sh', '-eu', '-c'],
  };
  const { imageId } = await engine.containers.commit(container.id, {
    config,
    comment: 'gantry commit test',
    author: 'gantry tests <tests@gantry.invalid>',
  });
  fixture.trackImage(imageId);

  const image = await engine.images.inspect(imageId);
  expect(image.Id).toBe(imageId);
  expect(image.Comment).toBe('gantry commit test');
  expect(image.Author).toBe('gantry tests <tests@gantry.invalid>');
  for (const field of Object.keys(config) as Array<keyof ImageConfig>) {
    expect(image.Config?.[field], field).toEqual(config[field]);
  }
  const [newest] = await engine.images.history(imageId);
  expect(newest?.Comment).toBe('gantry commit test');
});

test('commit fills gaps from the container', async () => {
  await using container = await engine.containers.create({
    config: {
      Image: BUSYBOX,
      Cmd: ['sh', '-c', 'true'],
      Env: ['FROM_CONTAINER=1'],
      WorkingDir: '/tmp',
      Labels: fixture.labels,
    },
  });
  const { imageId } = await engine.containers.commit(container.id, {
    config: { Env: ['FROM_COMMIT=1'], Labels: { 'org.example.role': 'step' } },
  });
  fixture.trackImage(imageId);
  const image = await engine.images.inspect(imageId);
  expect(image.Config?.Cmd).toEqual(['sh', '-c', 'true']);
  expect(image.Config?.WorkingDir).toBe('/tmp');
  expect(image.Config?.Env).toContain('FROM_COMMIT=1');
  expect(image.Config?.Env).toContain('FROM_CONTAINER=1');
  expect(image.Config?.Labels).toEqual({ ...fixture.labels, 'org.example.role': 'step' });
});

test('commit tags and applies changes', async () => {
  await using container = await engine.containers.create({
    config: { Image: BUSYBOX, Cmd: ['true'], Labels: fixture.labels },
  });
  const repository = `gantry-commit-${fixture.runId}`;
  fixture.trackImage(`${repository}:v1`);
  const { imageId } = await engine.containers.commit(container.id, {
    repository,
    tag: 'v1',
    changes: ['CMD ["echo", "changed"]', 'ENV MODE=test'],
  });
  const image = await engine.images.inspect(`${repository}:v1`);
  expect(image.Id).toBe(imageId);
  expect(image.Config?.Cmd).toEqual(['echo', 'changed']);
  expect(image.Config?.Env).toContain('MODE=test');
});
