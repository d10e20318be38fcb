import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LayerCache, MemoryStore } from '@gantry/cache';
import type { BuildEvent } from '@gantry/log-format';
import { describe, expect, it } from 'vitest';
import { gantryBuild, useTestBench } from './test-engine.js';

const testFile = useTestBench();

/** Makes a cache private to one test that records each image it checks in the engine. */
function countingCache() {
  const checked: string[] = [];
  const { engine } = testFile.bench;
  const cache = new LayerCache({
    store: new MemoryStore(),
    confirmImage: (imageId, signal) => {
      checked.push(imageId);
      return engine.images.exists(imageId, { signal });
    },
  });
  return { cache, checked };
}

/** Builds without the fixture's label, whose LABEL step would change the step count. */
function buildWith(contextDir: string, cache: LayerCache) {
  return gantryBuild(testFile.bench, { contextDir, cache, labels: {} });
}

async function writeDockerfile(contextDir: string, text: string): Promise<void> {
  await writeFile(join(contextDir, 'Dockerfile'), text);
}

function ofType<T extends BuildEvent['type']>(events: readonly BuildEvent[], type: T) {
  return events.filter((event): event is Extract<BuildEvent, { type: T }> => event.type === type);
}

/** Step numbers of the `step-start` events, in order. */
function startedSteps(events: readonly BuildEvent[]): number[] {
  return ofType(events, 'step-start').map((event) => event.step);
}

const FIVE_STEPS = 'FROM busybox:latest\nENV A=1\nENV B=2\nLABEL c=3\nWORKDIR /w\nCMD ["sh"]\n';

describe('cache hits checked once per run', () => {
  it('checks only the last image of an all-hit stage', async () => {
    const contextDir = await testFile.context({ Dockerfile: FIVE_STEPS });
    const { cache, checked } = countingCache();
    const first = await buildWith(contextDir, cache);
    expect(first.error).toBeUndefined();
    checked.length = 0;
    const again = await buildWith(contextDir, cache);
    expect(again.error).toBeUndefined();
    expect(ofType(again.events, 'step-cache-hit')).toHaveLength(5);
    expect(checked).toEqual([again.result?.imageId]);
    expect(again.log.match(/ ---> Using cache/g)).toHaveLength(5);
  });

  it('checks the hits before a miss', async () => {
    const contextDir = await testFile.context({ Dockerfile: FIVE_STEPS });
    const { cache, checked } = countingCache();
    await buildWith(contextDir, cache);
    checked.length = 0;
    const changed = FIVE_STEPS.replace('LABEL c=3', 'LABEL c=4');
    const again = await buildWith(await testFile.context({ Dockerfile: changed }), cache);
    expect(again.error).toBeUndefined();
    // The scope differs with the folder, so the hits come from keys alone.
    const hitSteps = ofType(again.events, 'step-cache-hit').map((event) => event.step);
    expect(hitSteps).toEqual([2, 3]);
    expect(checked).toHaveLength(1);
    expect(startedSteps(again.events)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('rewinds to a removed hit before a miss', async () => {
    const contextDir = await testFile.context({
      Dockerfile: 'FROM busybox:latest\nENV A=1\nENV B=2\n',
    });
    const { cache } = countingCache();
    const first = await buildWith(contextDir, cache);
    // Removes the final image and, as it has no tag, the ENV A image under it.
    await testFile.bench.engine.images.remove(first.result?.imageId ?? '', { force: true });
    const longer = 'FROM busybox:latest\nENV A=1\nENV B=2\nRUN true\n';
    await writeDockerfile(contextDir, longer);
    const again = await buildWith(contextDir, cache);
    expect(again.error).toBeUndefined();
    expect(startedSteps(again.events)).toEqual([1, 2, 3, 4]);
    expect(ofType(again.events, 'step-cache-hit')).toEqual([]);
    const misses = ofType(again.events, 'step-cache-miss');
    expect(misses.map((event) => event.step)).toEqual([2, 3, 4]);
    expect(misses[0]?.code).toBe('image-removed');
    expect(again.log).not.toContain('Using cache');
    const exists = await testFile.bench.engine.images.exists(again.result?.imageId ?? '');
    expect(exists).toBe(true);
  });

  it('rewinds when the last hit was removed', async () => {
    const contextDir = await testFile.context({ Dockerfile: FIVE_STEPS });
    const { cache } = countingCache();
    const first = await buildWith(contextDir, cache);
    const before = await testFile.bench.engine.images.inspect(first.result?.imageId ?? '');
    await testFile.bench.engine.images.remove(first.result?.imageId ?? '', { force: true });
    const again = await buildWith(contextDir, cache);
    expect(again.error).toBeUndefined();
    expect(startedSteps(again.events)).toEqual([1, 2, 3, 4, 5, 6]);
    // Everything above busybox went with the untagged final image.
    expect(ofType(again.events, 'step-cache-miss')[0]).toMatchObject({
      step: 2,
      code: 'image-removed',
    });
    const after = await testFile.bench.engine.images.inspect(again.result?.imageId ?? '');
    expect(after.Config?.Env).toEqual(before.Config?.Env);
    expect(after.Config?.WorkingDir).toBe('/w');
  });

  it('prints the hits before a failing step', async () => {
    const contextDir = await testFile.context({ Dockerfile: FIVE_STEPS });
    const { cache } = countingCache();
    await buildWith(contextDir, cache);
    await writeDockerfile(contextDir, `${FIVE_STEPS}COPY missing.txt /\n`);
    const again = await buildWith(contextDir, cache);
    expect(again.error).toBeDefined();
    expect(ofType(again.events, 'step-cache-hit')).toHaveLength(5);
    expect(startedSteps(again.events)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(again.log).toContain('Step 7/7 : COPY missing.txt /');
  });
});
