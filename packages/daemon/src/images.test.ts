import type { EngineTestFixture } from '@gantry/testing';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { DockerEngine } from './docker-engine.js';
import type { ProgressEvent } from './engine-types.js';
import { ConflictError, ImageNotFoundError } from './errors.js';
import { BUSYBOX, connectTestEngine, REGISTRY } from './test-engine.js';

let engine: DockerEngine;
let fixture: EngineTestFixture;
const pushed: string[] = [];

beforeAll(async () => {
  ({ engine, fixture } = await connectTestEngine());
});
afterEach(() => fixture.cleanup());
afterAll(async () => {
  await fixture.cleanup();
  for (const reference of pushed) await deleteFromRegistry(reference);
});

/** Commits a busybox container that wrote `bytes` random bytes, as a labelled image. */
async function randomImage(bytes: number): Promise<string> {
  await using container = await engine.containers.create({
    config: {
      Image: BUSYBOX,
      Cmd: ['sh', '-c', `head -c ${bytes} /dev/urandom > /blob`],
      Labels: fixture.labels,
    },
  });
  await engine.containers.start(container.id);
  await engine.containers.wait(container.id);
  const { imageId } = await engine.containers.commit(container.id, {
    config: { Labels: fixture.labels },
  });
  return fixture.trackImage(imageId);
}

async function collect(events: AsyncIterable<ProgressEvent>): Promise<ProgressEvent[]> {
  const all: ProgressEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

describe('images', () => {
  test('inspect and exists', async () => {
    const busybox = await engine.images.inspect(BUSYBOX);
    expect(busybox.Id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(busybox.RepoTags).toContain(BUSYBOX);
    expect(await engine.images.exists(BUSYBOX)).toBe(true);
    expect(await engine.images.exists('gantry-missing-image:nope')).toBe(false);
  });

  test('inspect of a missing image', async () => {
    const inspect = engine.images.inspect('gantry-missing-image:nope');
    await expect(inspect).rejects.toThrow(ImageNotFoundError);
    await expect(inspect).rejects.toMatchObject({ code: 'ERR_IMAGE_NOT_FOUND' });
    await expect(inspect).rejects.toThrow(/gantry-missing-image:nope/);
  });

  test('tag, list, remove', async () => {
    const target = fixture.trackImage(`gantry-images-${fixture.runId}:v1`);
    await engine.images.tag(BUSYBOX, target);
    const busybox = await engine.images.inspect(BUSYBOX);
    expect((await engine.images.inspect(target)).Id).toBe(busybox.Id);

    const listed = await engine.images.list({ reference: `gantry-images-${fixture.runId}` });
    expect(listed.map((image) => image.Id)).toEqual([busybox.Id]);
    expect(listed[0]?.RepoTags).toContain(target);

    const removed = await engine.images.remove(target);
    expect(removed).toEqual([{ Untagged: target }]);
    expect(await engine.images.exists(target)).toBe(false);
    expect(await engine.images.exists(BUSYBOX)).toBe(true);
  });

  test('list by label', async () => {
    const imageId = await randomImage(16);
    const listed = await engine.images.list({ labels: [fixture.labelFilter] });
    expect(listed.map((image) => image.Id)).toEqual([imageId]);
    expect(listed[0]?.Labels).toEqual(fixture.labels);
  });

  test('remove of a missing image', async () => {
    await expect(engine.images.remove('gantry-missing-image:nope')).rejects.toThrow(
      ImageNotFoundError,
    );
  });

  test('remove of an image in use is a conflict', async () => {
    const imageId = await randomImage(16);
    await using _container = await engine.containers.create({
      config: { Image: imageId, Labels: fixture.labels },
    });
    const remove = engine.images.remove(imageId);
    await expect(remove).rejects.toThrow(ConflictError);
    await expect(remove).rejects.toThrow(/is being used by|is using its referenced image/);
  });

  test('history', async () => {
    const imageId = await randomImage(16);
    const history = await engine.images.history(imageId);
    expect(history[0]?.Id).toBe(imageId);
    expect(history[0]?.CreatedBy).toBe('sh -c head -c 16 /dev/urandom > /blob');
    expect(history.length).toBeGreaterThan(1);
  });

  test('save and load', async () => {
    const target = fixture.trackImage(`gantry-save-${fixture.runId}:v1`);
    const imageId = await randomImage(1024);
    await engine.images.tag(imageId, target);
    const archive = await engine.images.save([target]);
    const chunks: Buffer[] = [];
    for await (const chunk of archive) chunks.push(chunk as Buffer);
    await engine.images.remove(target, { force: true });
    expect(await engine.images.exists(imageId)).toBe(false);

    const { Readable } = await import('node:stream');
    const loaded = await engine.images.load(Readable.from(chunks));
    expect(loaded).toEqual([target]);
    expect((await engine.images.inspect(target)).Id).toBe(imageId);
  });

  test('push and pull with progress', async () => {
    const reference = `${REGISTRY}/gantry-test/pull-${fixture.runId}:latest`;
    const imageId = await randomImage(2_000_000);
    await engine.images.tag(imageId, fixture.trackImage(reference));
    pushed.push(reference);
    const pushEvents = await collect(engine.images.push(reference));
    expect(pushEvents.some((event) => event.status === 'Pushed')).toBe(true);
    await engine.images.remove(reference, { force: true });
    expect(await engine.images.exists(imageId)).toBe(false);

    const pullEvents = await collect(engine.images.pull(reference));
    const downloading = pullEvents.filter((event) => event.status === 'Downloading');
    expect(downloading.length).toBeGreaterThan(0);
    expect(downloading.at(-1)?.total).toBeGreaterThan(1_000_000);
    expect(downloading.at(-1)?.current).toBeGreaterThan(0);
    expect(pullEvents.at(-1)?.status).toBe(`Status: Downloaded newer image for ${reference}`);
    expect((await engine.images.inspect(reference)).Id).toBe(imageId);
  });

  test('pull of a missing image', async () => {
    const reference = `${REGISTRY}/gantry-test/missing-${fixture.runId}:nope`;
    const pull = collect(engine.images.pull(reference));
    await expect(pull).rejects.toThrow(ImageNotFoundError);
    await expect(pull).rejects.toMatchObject({ image: reference });
  });

  test('abort of a pull', async () => {
    const controller = new AbortController();
    const reason = new Error('pull cancelled');
    controller.abort(reason);
    const pull = collect(
      engine.images.pull(`${REGISTRY}/gantry-test/any:1`, { signal: controller.signal }),
    );
    await expect(pull).rejects.toBe(reason);
  });
});

/** Deletes a pushed manifest so the registry keeps nothing a test made. */
async function deleteFromRegistry(reference: string): Promise<void> {
  const [, name, tag] = /^[^/]+\/(.+):([^:]+)$/.exec(reference) ?? [];
  const url = `http://${REGISTRY}/v2/${name}/manifests/${tag}`;
  const accept = 'application/vnd.docker.distribution.manifest.v2+json';
  const head = await fetch(url, { method: 'HEAD', headers: { Accept: accept } });
  const digest = head.headers.get('docker-content-digest');
  if (digest !== null) {
    await fetch(`http://${REGISTRY}/v2/${name}/manifests/${digest}`, { method: 'DELETE' });
  }
}
