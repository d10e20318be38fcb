import type { BuildEvent } from '@gantry/log-format';
import { describe, expect, it } from 'vitest';
import { containerIds, gantryBuild, type TestBench, useTestBench } from '../test-engine.js';

const testFile = useTestBench();

const DOCKERFILE = [
  'FROM busybox:latest AS source',
  'ARG STAMP',
  'RUN mkdir /out && for i in $(seq 1 200); do echo "$i" > /out/f$i; done && echo "$STAMP" > /stamp',
  'FROM busybox:latest',
  'COPY --from=source /out /out',
  '',
].join('\n');

/**
 * Returns the bench with an engine whose first archive request for `path`
 * aborts `controller` once the engine has returned the stream, so the abort lands while
 * the build reads that archive.
 */
function abortOnArchive(bench: TestBench, path: string, controller: AbortController): TestBench {
  const archives = bench.engine.archives;
  let fired = false;
  const get: typeof archives.get = async (containerId, options) => {
    const archive = await archives.get(containerId, options);
    if (!fired && options.path === path) {
      fired = true;
      controller.abort(new Error('cancelled by the test'));
    }
    return archive;
  };
  const watched = withMember(archives, 'get', get);
  return { ...bench, engine: withMember(bench.engine, 'archives', watched) };
}

/**
 * Returns a view of `target` whose member `name` is `value`. The other
 * members stay bound to `target`, whose private fields a prototype copy
 * could not reach.
 */
function withMember<T extends object>(target: T, name: keyof T, value: unknown): T {
  return new Proxy(target, {
    get(object, property) {
      if (property === name) return value;
      const member = Reflect.get(object, property, object);
      return typeof member === 'function' ? member.bind(object) : member;
    },
  });
}

/** Returns the images a step committed. */
function stepImages(events: readonly BuildEvent[], step: number): string[] {
  return events.flatMap((event) =>
    event.type === 'step-done' && event.step === step ? [event.imageId] : [],
  );
}

/**
 * Returns the ids of the containers made from the images, and removes them,
 * so that a failing check leaves none. This finds the container that source
 * files are read from, which emits no event of its own.
 */
async function containersFrom(images: readonly string[]): Promise<string[]> {
  const { engine } = testFile.bench;
  const all = await engine.containers.list({ all: true });
  const found = all.filter((container) => images.includes(container.ImageID));
  for (const container of found) await engine.containers.remove(container.Id, { force: true });
  return found.map((container) => container.Id);
}

describe('COPY --from abort', () => {
  it('rejects with the reason while reading source files', async () => {
    const contextDir = await testFile.context({ Dockerfile: DOCKERFILE });
    const first = await gantryBuild(testFile.bench, { contextDir, buildArgs: { STAMP: '1' } });
    expect(first.error).toBeUndefined();
    expect(await containersFrom(stepImages(first.events, 3))).toEqual([]);
    // The source stage's new image misses the first key, so the build reads
    // /out from it for the second key, and the abort lands in that read.
    const controller = new AbortController();
    const bench = abortOnArchive(testFile.bench, '/out', controller);
    const again = await gantryBuild(bench, {
      contextDir,
      buildArgs: { STAMP: '2' },
      signal: controller.signal,
    });
    expect(controller.signal.aborted).toBe(true);
    expect(again.error).toBe(controller.signal.reason);
    const failure = again.events.find((event) => event.type === 'build-error');
    expect(failure).toMatchObject({ message: 'cancelled by the test' });
    const ids = containerIds(again.events);
    const left = await testFile.bench.engine.containers.list({ all: true });
    expect(left.filter((container) => ids.includes(container.Id))).toEqual([]);
    const committed = stepImages(again.events, 3);
    expect(committed.length).toBe(1);
    expect(await containersFrom(committed)).toEqual([]);
    for (const imageId of committed)
      expect(await testFile.bench.engine.images.exists(imageId)).toBe(false);
  });
});
