import { describe, expect, it } from 'vitest';
import { readTree } from '../../test/differential/file-tree.js';
import { BuildError } from '../errors.js';
import { classicBuild, gantryBuild, useTestBench } from '../test-engine.js';
import { stepEvents } from '../test-image-files.js';

const testFile = useTestBench();

/**
 * Returns a Dockerfile whose source stage has `/a.txt` and no `/missingdir`,
 * and whose final stage copies `sources` in step 5. `STAMP` changes the
 * source image but not the files the step copies.
 */
function copyFrom(sources: string): string {
  return [
    'FROM busybox:latest AS src',
    'ARG STAMP',
    'RUN echo a > /a.txt && echo "$STAMP" > /stamp',
    'FROM busybox:latest',
    `COPY --from=src ${sources} /d/`,
    '',
  ].join('\n');
}

describe('COPY --from wildcard in a missing folder', () => {
  it('skips it beside a source that exists', async () => {
    const contextDir = await testFile.context({ Dockerfile: copyFrom('/a.txt /missingdir/*.txt') });
    const built = await gantryBuild(testFile.bench, { contextDir });
    expect(built.error).toBeUndefined();
    const classic = await classicBuild(testFile.bench, contextDir, { noCache: true });
    expect(classic.error).toBeUndefined();

    const { engine, fixture } = testFile.bench;
    const tree = await readTree(engine, built.result?.imageId ?? '', ['/d'], fixture.labels);
    const expected = await readTree(engine, classic.imageId ?? '', ['/d'], fixture.labels);
    expect(tree.map((entry) => entry.path)).toEqual(['/d :: d/', '/d :: d/a.txt']);
    expect(tree).toEqual(expected);
  });

  it('fails as the classic builder does when alone', async () => {
    const contextDir = await testFile.context({ Dockerfile: copyFrom('/missingdir/*.txt') });
    const built = await gantryBuild(testFile.bench, { contextDir });
    const classic = await classicBuild(testFile.bench, contextDir, { noCache: true });
    expect(classic.error).toBe('COPY failed: no source files were specified');

    expect(built.error).toBeInstanceOf(BuildError);
    const error = built.error as BuildError;
    expect(error.code).toBe('ERR_COPY_SOURCE');
    expect(error.location?.step).toBe(5);
    expect(error.message).toContain('COPY failed: no source files were specified');
    expect(error.message).toContain('/missingdir/*.txt');
  });

  it('skips it in the files key', async () => {
    const contextDir = await testFile.context({ Dockerfile: copyFrom('/a.txt /missingdir/*.txt') });
    const first = await gantryBuild(testFile.bench, { contextDir, buildArgs: { STAMP: '1' } });
    expect(first.error).toBeUndefined();
    const again = await gantryBuild(testFile.bench, { contextDir, buildArgs: { STAMP: '2' } });
    expect(again.error).toBeUndefined();
    // A new source image with the same files hits the key of the files it copies.
    expect(stepEvents(again.events, 3)).toContain('step-cache-miss');
    expect(stepEvents(again.events, 5)).toContain('step-cache-hit');
  });
});
