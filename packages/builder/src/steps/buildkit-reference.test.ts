/**
 * The newer COPY and ADD features that the engine's embedded BuildKit has
 * (wildcard sources of `COPY --from`, bzip2 and xz archives, octal
 * `--chmod`), built with `DOCKER_BUILDKIT=1 docker build` and with gantry in
 * the same test, and compared by file tree. BuildKit builds without its
 * cache: with it, it reused a COPY layer of an earlier build whose source
 * files had other owners.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readTree } from '../../test/differential/file-tree.js';
import { gantryBuild, useTestBench } from '../test-engine.js';
import { buildKitImage } from '../test-image-files.js';

const testFile = useTestBench();

const run = promisify(execFile);

/** Builds the folder with BuildKit and with gantry; expects equal trees under `paths`. */
async function expectSameTrees(folder: string, paths: readonly string[]): Promise<void> {
  const referenceId = await buildKitImage(testFile, folder);
  const built = await gantryBuild(testFile.bench, { contextDir: folder });
  expect(built.error).toBeUndefined();
  const { engine, fixture } = testFile.bench;
  const expected = await readTree(engine, referenceId, paths, fixture.labels);
  const actual = await readTree(engine, built.result?.imageId ?? '', paths, fixture.labels);
  expect(actual.length).toBeGreaterThan(0);
  expect(actual).toEqual(expected);
}

describe("against the engine's BuildKit", () => {
  it('copies wildcard sources from a stage', async () => {
    const dockerfile = [
      'FROM busybox:latest AS build',
      'RUN mkdir -p /out/a /out/b && echo 1 > /out/a/x.txt && echo 2 > /out/b/y.txt && echo 3 > /out/one.txt && chown 7:8 /out/one.txt',
      'FROM busybox:latest',
      'COPY --from=build /out/*.txt /txt/',
      'COPY --from=build /out/*/*.txt /deep/',
      'COPY --from=build --chmod=600 /out/* /all/',
      '',
    ].join('\n');
    const folder = await testFile.context({ Dockerfile: dockerfile });
    await expectSameTrees(folder, ['/txt', '/deep', '/all']);
  });

  it('extracts bzip2 and xz archives', async () => {
    const dockerfile = 'FROM busybox:latest\nADD packed.tar.bz2 /bz2/\nADD packed.tar.xz /xz/\n';
    const folder = await testFile.context({ Dockerfile: dockerfile });
    const tree = join(folder, 'tree');
    await mkdir(join(tree, 'sub'), { recursive: true });
    await writeFile(join(tree, 'sub', 'run.sh'), '#!/bin/sh\n', { mode: 0o750 });
    const options = ['--owner=1234', '--group=5678', '-C', tree, '.'];
    await run('tar', ['-cjf', join(folder, 'packed.tar.bz2'), ...options]);
    await run('tar', ['-cJf', join(folder, 'packed.tar.xz'), ...options]);
    await expectSameTrees(folder, ['/bz2', '/xz']);
  });
});
