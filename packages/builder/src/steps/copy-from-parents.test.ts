/**
 * `COPY --from --parents` against the Dockerfile reference's documented
 * results, and against gantry's `COPY --parents` of the same files from the
 * build context. The classic builder has no `--parents` and the engine's
 * embedded BuildKit predates it, so neither can be the reference.
 */
import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTree } from '../../test/differential/file-tree.js';
import { BuildError } from '../errors.js';
import { gantryBuild, useTestBench } from '../test-engine.js';
import {
  buildTree,
  digestOf,
  entriesBelow,
  entryAt,
  namesOf,
  permissionsOf,
} from '../test-image-files.js';

const testFile = useTestBench();

const FROM = 'FROM busybox:latest\n';

/**
 * A stage `src` with the reference's files `/x/a.txt`, `/y/a.txt`, `/x/y/a.txt`
 * and `/x/y/b.txt`, and `/x/y/c.md`, which the reference's `*.txt` leaves out.
 */
const SOURCE_STAGE = [
  'FROM busybox:latest AS src',
  'RUN mkdir -p /x/y /y && echo xa > /x/a.txt && echo ya > /y/a.txt && echo a > /x/y/a.txt && echo b > /x/y/b.txt && echo c > /x/y/c.md',
  '',
].join('\n');

describe('COPY --from --parents', () => {
  it('keeps the parent folders of each source', async () => {
    const dockerfile = `${SOURCE_STAGE}${FROM}COPY --from=src --parents /x/a.txt /y/a.txt /parents/\n`;
    const { tree } = await buildTree(testFile, { Dockerfile: dockerfile }, ['/parents']);
    expect(namesOf(tree)).toEqual([
      '/parents :: parents/',
      '/parents :: parents/x/',
      '/parents :: parents/x/a.txt',
      '/parents :: parents/y/',
      '/parents :: parents/y/a.txt',
    ]);
    expect(entryAt(tree, 'parents/x/a.txt').digest).toBe(digestOf('xa\n'));
    expect(entryAt(tree, 'parents/y/a.txt').digest).toBe(digestOf('ya\n'));
  });

  it('keeps only the folders after a /./ pivot', async () => {
    const dockerfile = `${SOURCE_STAGE}${FROM}COPY --from=src --parents /x/./y/*.txt /parents/\n`;
    const { tree } = await buildTree(testFile, { Dockerfile: dockerfile }, ['/parents']);
    expect(namesOf(tree)).toEqual([
      '/parents :: parents/',
      '/parents :: parents/y/',
      '/parents :: parents/y/a.txt',
      '/parents :: parents/y/b.txt',
    ]);
  });

  it('keeps parent owners and modes', async () => {
    const dockerfile = [
      'FROM busybox:latest AS src',
      'RUN mkdir -p /x/y && echo a > /x/y/a.txt && chown 7:8 /x && chmod 750 /x',
      'FROM busybox:latest',
      'COPY --from=src --parents /x/y/a.txt /kept/',
      'COPY --from=src --parents --chown=5:6 /x/y/a.txt /owned/',
      '',
    ].join('\n');
    const { tree } = await buildTree(testFile, { Dockerfile: dockerfile }, ['/kept', '/owned']);
    const keptParent = entryAt(tree, 'kept/x/');
    expect(keptParent.type).toBe('directory');
    expect(permissionsOf(keptParent)).toBe('750');
    expect(keptParent.owner).toBe('7:8');
    expect(permissionsOf(entryAt(tree, 'kept/x/y/'))).toBe('755');
    expect(entryAt(tree, 'kept/x/y/').owner).toBe('0:0');

    const ownedParent = entryAt(tree, 'owned/x/');
    expect(permissionsOf(ownedParent)).toBe('750');
    expect(ownedParent.owner).toBe('5:6');
    expect(entryAt(tree, 'owned/x/y/a.txt').owner).toBe('5:6');
    expect(entryAt(tree, 'owned/').owner).toBe('5:6');
  });

  it('skips folders without a match', async () => {
    const dockerfile = [
      'FROM busybox:latest AS src',
      'RUN mkdir -p /w/a /w/b /w/c && echo 1 > /w/a/1.txt && echo 2 > /w/b/2.md',
      'FROM busybox:latest',
      'COPY --from=src --parents /w/*/*.txt /parents/',
      '',
    ].join('\n');
    const { tree } = await buildTree(testFile, { Dockerfile: dockerfile }, ['/parents']);
    expect(namesOf(tree)).toEqual([
      '/parents :: parents/',
      '/parents :: parents/w/',
      '/parents :: parents/w/a/',
      '/parents :: parents/w/a/1.txt',
    ]);
  });
});

/** Files of the build context, which stage `src` copies to `/tree`. */
const FILES = {
  'tree/a.txt': 'a\n',
  'tree/b.log': 'b\n',
  'tree/sub/c.txt': 'c\n',
  'tree/sub/d.log': 'd\n',
  'tree/sub/deep/e.txt': 'e\n',
  'tree/other/f.txt': 'f\n',
};

/** Each kind of source, copied from the context and from stage `src` with the same flags. */
const CASES = {
  wildcard: ['--exclude=**/*.log --chown=5:6', 'tree/*/*'],
  pivot: ['--chown=5:6', 'tree/./sub/*.txt tree/./other'],
  folder: ['--exclude=*.log --chown=5:6', 'tree/sub'],
  files: ['--exclude=b.log --chown=5:6', 'tree/a.txt tree/b.log tree/sub/deep/e.txt'],
  'pivot folder': ['--exclude=deep', 'tree/./sub'],
  'wildcard pivot': ['--chown=5:6', 'tree/*/./deep/*.txt'],
} as const;

/** Returns the Dockerfile that copies each case from the context and from stage `src`. */
function differentialDockerfile(): string {
  const lines = ['FROM busybox:latest AS src', 'COPY tree /tree', 'FROM busybox:latest'];
  for (const [kind, [flags, sources]] of Object.entries(CASES)) {
    const folder = kind.replace(' ', '-');
    const fromImage = sources.replace(/(^| )tree/g, '$1/tree');
    lines.push(`COPY --parents ${flags} ${sources} /context-${folder}/`);
    lines.push(`COPY --from=src --parents ${flags} ${fromImage} /image-${folder}/`);
  }
  return `${lines.join('\n')}\n`;
}

describe('COPY --from --parents against the build context', () => {
  it('matches COPY --parents from the context', async () => {
    const folder = await testFile.context({ ...FILES, Dockerfile: differentialDockerfile() });
    await chmod(join(folder, 'tree/sub'), 0o750);
    await chmod(join(folder, 'tree/sub/deep'), 0o700);
    await chmod(join(folder, 'tree/sub/deep/e.txt'), 0o640);
    const built = await gantryBuild(testFile.bench, { contextDir: folder });
    expect(built.error).toBeUndefined();

    const folders = Object.keys(CASES).map((kind) => kind.replace(' ', '-'));
    const roots = folders.flatMap((kind) => [`/context-${kind}`, `/image-${kind}`]);
    const { engine, fixture } = testFile.bench;
    const tree = await readTree(engine, built.result?.imageId ?? '', roots, fixture.labels);

    for (const kind of folders) {
      const context = entriesBelow(tree, `/context-${kind}`);
      expect(context.length, kind).toBeGreaterThan(0);
      expect(entriesBelow(tree, `/image-${kind}`), kind).toEqual(context);
    }

    const names = (root: string) => entriesBelow(tree, root).map((entry) => entry.path);
    expect(names('/image-wildcard')).toEqual([
      '/tree',
      '/tree/other',
      '/tree/other/f.txt',
      '/tree/sub',
      '/tree/sub/c.txt',
      '/tree/sub/deep',
      '/tree/sub/deep/e.txt',
    ]);
    expect(names('/image-pivot')).toEqual(['/other', '/other/f.txt', '/sub', '/sub/c.txt']);
    expect(names('/image-folder')).toEqual([
      '/tree',
      '/tree/sub',
      '/tree/sub/c.txt',
      '/tree/sub/deep',
      '/tree/sub/deep/e.txt',
    ]);
    expect(names('/image-files')).toEqual([
      '/tree',
      '/tree/a.txt',
      '/tree/sub',
      '/tree/sub/deep',
      '/tree/sub/deep/e.txt',
    ]);
    expect(names('/image-pivot-folder')).toEqual(['/sub', '/sub/c.txt', '/sub/d.log']);
    expect(names('/image-wildcard-pivot')).toEqual(['/deep', '/deep/e.txt']);

    const parent = entryAt(tree, 'image-files/tree/sub/');
    expect(permissionsOf(parent)).toBe('750');
    expect(parent.owner).toBe('5:6');
    const pivotParent = entryAt(tree, 'context-wildcard-pivot/deep/');
    expect(permissionsOf(pivotParent)).toBe('700');
    expect(pivotParent.owner).toBe('5:6');
  });
});

describe('COPY --from --parents errors', () => {
  it.each([
    ['a missing path', 'src', '/x/missing.txt', 'stage src'],
    ['a pattern that matches nothing', 'src', '/x/./y/*.json', 'stage src'],
    ['a pattern in a missing folder', 'src', '/missing/./y/*.txt', 'stage src'],
    ['a missing path in an image', 'busybox:latest', '/x/missing.txt', 'image busybox:latest'],
  ])('names the source and stage of %s', async (_name, from, source, named) => {
    const copy = `COPY --from=${from} --parents ${source} /parents/\n`;
    const folder = await testFile.context({ Dockerfile: `${SOURCE_STAGE}${FROM}${copy}` });
    const built = await gantryBuild(testFile.bench, { contextDir: folder });
    expect(built.error).toBeInstanceOf(BuildError);
    const error = built.error as BuildError;
    expect(error.code).toBe('ERR_COPY_SOURCE');
    expect(error.message).toContain(source);
    expect(error.message).toContain(named);
  });
});
