/**
 * `**` in `COPY --parents` sources, from the build context and with
 * `--from`, against the engine. Neither the classic builder nor the engine's
 * embedded BuildKit supports `--parents`, so the expected trees come from the
 * Dockerfile reference ("The `**` wildcard matches any number of path
 * components, including none": `./src/**\/*.txt` copies `src/a.txt`,
 * `src/x/b.txt` and `src/x/y/c.txt` under their parents) and from BuildKit's
 * source: the part after the `/./` pivot is a moby/patternmatcher include
 * pattern, where `x/**` matches below `x` but not `x` itself, and fsutil's
 * copy creates a folder that does not match only as the parent of a match.
 */
import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTree } from '../../test/differential/file-tree.js';
import { gantryBuild, useTestBench } from '../test-engine.js';
import { entriesBelow, entryAt, permissionsOf } from '../test-image-files.js';

const testFile = useTestBench();

/**
 * Files of the build context, which stage `src` copies to `/src`: zero, one
 * and three folders deep.
 */
const FILES = {
  'src/a.txt': 'a\n',
  'src/c.txt': 'top c\n',
  'src/x/b.txt': 'b\n',
  'src/x/y/skip.md': 'skip\n',
  'src/x/y/z/c.txt': 'c\n',
};

/** Each case's source, copied from the context and, with a leading `/`, from stage `src`. */
const CASES = {
  middle: './src/**/*.txt',
  'first after pivot': './src/./**/c.txt',
  last: './src/x/**',
} as const;

/** Returns the Dockerfile that copies each case from the context and from stage `src`. */
function wildcardDockerfile(): string {
  const lines = ['FROM busybox:latest AS src', 'COPY src /src', 'FROM busybox:latest'];
  for (const [kind, source] of Object.entries(CASES)) {
    const folder = kind.replaceAll(' ', '-');
    lines.push(`COPY --parents ${source} /context-${folder}/`);
    lines.push(`COPY --from=src --parents ${source.slice(1)} /image-${folder}/`);
  }
  // Without --parents, `**` is `*` as in Go's `filepath.Match`, so only `src/x/b.txt` matches.
  lines.push('COPY src/**/*.txt /plain-context/', 'COPY --from=src /src/**/*.txt /plain-image/');
  return `${lines.join('\n')}\n`;
}

describe('COPY with **', () => {
  it('matches any number of folders', async () => {
    const folder = await testFile.context({ ...FILES, Dockerfile: wildcardDockerfile() });
    await chmod(join(folder, 'src/x/y'), 0o750);
    const built = await gantryBuild(testFile.bench, { contextDir: folder });
    expect(built.error).toBeUndefined();

    const folders = Object.keys(CASES).map((kind) => kind.replaceAll(' ', '-'));
    const roots = folders.flatMap((kind) => [`/context-${kind}`, `/image-${kind}`]);
    roots.push('/plain-context', '/plain-image');
    const { engine, fixture } = testFile.bench;
    const tree = await readTree(engine, built.result?.imageId ?? '', roots, fixture.labels);
    const names = (root: string) => entriesBelow(tree, root).map((entry) => entry.path);

    const middle = [
      '/src',
      '/src/a.txt',
      '/src/c.txt',
      '/src/x',
      '/src/x/b.txt',
      '/src/x/y',
      '/src/x/y/z',
      '/src/x/y/z/c.txt',
    ];
    expect(names('/context-middle')).toEqual(middle);
    expect(names('/image-middle')).toEqual(middle);

    const first = ['/c.txt', '/x', '/x/y', '/x/y/z', '/x/y/z/c.txt'];
    expect(names('/context-first-after-pivot')).toEqual(first);
    expect(names('/image-first-after-pivot')).toEqual(first);

    const last = [
      '/src',
      '/src/x',
      '/src/x/b.txt',
      '/src/x/y',
      '/src/x/y/skip.md',
      '/src/x/y/z',
      '/src/x/y/z/c.txt',
    ];
    expect(names('/context-last')).toEqual(last);
    expect(names('/image-last')).toEqual(last);

    for (const kind of folders) {
      expect(entriesBelow(tree, `/image-${kind}`), kind).toEqual(
        entriesBelow(tree, `/context-${kind}`),
      );
    }
    expect(names('/plain-context')).toEqual(['/b.txt']);
    expect(names('/plain-image')).toEqual(['/b.txt']);
    expect(permissionsOf(entryAt(tree, 'image-middle/src/x/y/'))).toBe('750');
    expect(permissionsOf(entryAt(tree, 'context-middle/src/x/y/'))).toBe('750');
  });
});
