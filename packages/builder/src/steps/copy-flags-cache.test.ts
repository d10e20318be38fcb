import { describe, expect, it } from 'vitest';
import { readTree } from '../../test/differential/file-tree.js';
import { classicBuild, gantryBuild, useTestBench } from '../test-engine.js';
import { entryAt } from '../test-image-files.js';

const testFile = useTestBench();

const DOCKERFILE = ['FROM busybox:latest', 'ARG OWNER', 'COPY --chown=$OWNER f /f', ''].join('\n');

/** Returns whether a step hit the cache. */
function hitAt(events: readonly { type: string; step?: number }[], step: number): boolean {
  return events.some((event) => event.type === 'step-cache-hit' && event.step === step);
}

describe('COPY flags in the cache key', () => {
  it('misses when a variable in --chown takes another value', async () => {
    const contextDir = await testFile.context({ Dockerfile: DOCKERFILE, f: 'text\n' });
    const first = await gantryBuild(testFile.bench, { contextDir, buildArgs: { OWNER: '1' } });
    expect(first.error).toBeUndefined();
    const second = await gantryBuild(testFile.bench, { contextDir, buildArgs: { OWNER: '2' } });
    expect(second.error).toBeUndefined();

    expect(hitAt(second.events, 3)).toBe(false);
    const { engine, fixture } = testFile.bench;
    const tree = await readTree(engine, second.result?.imageId ?? '', ['/f'], fixture.labels);
    expect(entryAt(tree, 'f').owner).toBe('2:2');
  });

  it('misses as the classic builder does', async () => {
    const contextDir = await testFile.context({ Dockerfile: DOCKERFILE, f: 'text\n' });
    await classicBuild(testFile.bench, contextDir, { buildArgs: { OWNER: '1' } });
    const second = await classicBuild(testFile.bench, contextDir, { buildArgs: { OWNER: '2' } });

    expect(second.error).toBeUndefined();
    expect(second.log).not.toMatch(/COPY [^\n]*\n ---> Using cache/);
    const { engine, fixture } = testFile.bench;
    const tree = await readTree(engine, second.imageId ?? '', ['/f'], fixture.labels);
    expect(entryAt(tree, 'f').owner).toBe('2:2');
  });
});
