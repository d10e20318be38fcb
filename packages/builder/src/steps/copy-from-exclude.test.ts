/**
 * `COPY --from --exclude` against gantry's `COPY --exclude` of the same files
 * from the build context, whose rules follow the Dockerfile reference: the
 * engine's BuildKit predates `--exclude`, so it cannot be the reference.
 */
import { describe, expect, it } from 'vitest';
import { readTree } from '../../test/differential/file-tree.js';
import { gantryBuild, useTestBench } from '../test-engine.js';
import { entriesBelow } from '../test-image-files.js';

const testFile = useTestBench();

const FILES = {
  'tree/a.txt': 'a\n',
  'tree/b.log': 'b\n',
  'tree/sub/c.txt': 'c\n',
  'tree/sub/d.log': 'd\n',
  'tree/sub/skip/e.txt': 'e\n',
};

const DOCKERFILE = [
  'FROM busybox:latest AS src',
  'COPY tree /out',
  'FROM busybox:latest',
  'COPY --exclude=*.log --exclude=sub/skip tree /context-folder/',
  'COPY --from=src --exclude=*.log --exclude=sub/skip /out /image-folder/',
  'COPY --exclude=*.txt tree/* /context-wildcard/',
  'COPY --from=src --exclude=*.txt /out/* /image-wildcard/',
  'COPY --exclude=a.txt tree/a.txt tree/b.log /context-files/',
  'COPY --from=src --exclude=a.txt /out/a.txt /out/b.log /image-files/',
  '',
].join('\n');

describe('COPY --from --exclude', () => {
  it('leaves out what the same COPY from the context leaves out', async () => {
    const folder = await testFile.context({ ...FILES, Dockerfile: DOCKERFILE });
    const built = await gantryBuild(testFile.bench, { contextDir: folder });
    expect(built.error).toBeUndefined();
    const roots = ['folder', 'wildcard', 'files'].flatMap((kind) => [
      `/context-${kind}`,
      `/image-${kind}`,
    ]);
    const { engine, fixture } = testFile.bench;
    const tree = await readTree(engine, built.result?.imageId ?? '', roots, fixture.labels);
    for (const kind of ['folder', 'wildcard', 'files']) {
      expect(entriesBelow(tree, `/image-${kind}`), kind).toEqual(
        entriesBelow(tree, `/context-${kind}`),
      );
    }
    const names = (root: string) => entriesBelow(tree, root).map((entry) => entry.path);
    expect(names('/image-folder')).toEqual(['/a.txt', '/sub', '/sub/c.txt', '/sub/d.log']);
    expect(names('/image-wildcard')).toEqual([
      '/b.log',
      '/c.txt',
      '/d.log',
      '/skip',
      '/skip/e.txt',
    ]);
    expect(names('/image-files')).toEqual(['/b.log']);
  });
});
