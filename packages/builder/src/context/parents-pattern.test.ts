/**
 * `**` in `--parents` sources. The expected matches follow the Dockerfile
 * reference ("The `**` wildcard matches any number of path components,
 * including none": `./src/**\/*.txt` copies `src/a.txt`, `src/x/b.txt` and
 * `src/x/y/c.txt`) and moby/patternmatcher, which BuildKit's include patterns
 * use: `**` first matches from the top, `x/**` matches below `x` but not `x`,
 * and a path inside a matching folder is copied with it.
 */
import { describe, expect, it } from 'vitest';
import { BuildError } from '../errors.js';
import type { ContextFiles } from './context-files.js';
import { matchSources } from './match-sources.js';
import { matchParentsSource, pivotOf, placeWithParents } from './parent-paths.js';
import { ParentsPattern } from './parents-pattern.js';

/** Returns the match depth of `path` for a source as written in a Dockerfile. */
function depthOf(source: string, path: string): number | undefined {
  const cleaned = source.replace(/^\.\//, '').replace('/./', '/');
  return new ParentsPattern(cleaned, pivotOf(source), source).matchDepth(path.split('/'));
}

/** Builds a context of the given files, with their folders, in walk order. */
function contextOf(paths: readonly string[]): ContextFiles {
  const all = new Set<string>();
  for (const path of paths) {
    const parts = path.split('/');
    for (let depth = 1; depth <= parts.length; depth++) all.add(parts.slice(0, depth).join('/'));
  }
  const entries = [...all].sort().map((path) => ({
    path,
    type: paths.includes(path) ? ('file' as const) : ('dir' as const),
    mode: 0o644,
    size: 0,
    digest: '',
  }));
  const byPath = new Map(entries.map((entry) => [entry.path, entry]));
  return { root: '/context', entries, byPath, classicSize: 0 };
}

describe('ParentsPattern', () => {
  it.each([
    ['src/**/*.txt', 'src/a.txt', 2],
    ['src/**/*.txt', 'src/x/b.txt', 3],
    ['src/**/*.txt', 'src/x/y/z/c.txt', 5],
    ['src/**/*.txt', 'src/x/b.md', undefined],
    ['src/**/*.txt', 'a.txt', undefined],
  ])('** in the middle: %s on %s', (source, path, expected) => {
    expect(depthOf(source, path)).toBe(expected);
  });

  it.each([
    ['**/a.txt', 'a.txt', 1],
    ['**/a.txt', 'x/a.txt', 2],
    ['**/a.txt', 'x/y/z/a.txt', 4],
    ['**/a.txt', 'x/ba.txt', undefined],
    ['**/*.txt', 'x/y/z/b.txt', 4],
    ['**', 'x/y', 1],
  ])('** first: %s on %s', (source, path, expected) => {
    expect(depthOf(source, path)).toBe(expected);
  });

  it.each([
    ['x/**', 'x', undefined],
    ['x/**', 'x/a', 2],
    ['x/**', 'x/a/b/c', 2],
    ['x/**', 'xy/a', undefined],
    ['x/*/**', 'x/a', undefined],
    ['x/*/**', 'x/a/b', 3],
  ])('** last: %s on %s', (source, path, expected) => {
    expect(depthOf(source, path)).toBe(expected);
  });

  it.each([
    ['src/./**/*.txt', 'src', undefined],
    ['src/./**/*.txt', 'src/a.txt', 2],
    ['src/./**/*.txt', 'src/x/b.txt', 3],
    ['src/./**/*.txt', 'src/x/y/z/c.txt', 5],
    ['src/./**/*.txt', 'other/a.txt', undefined],
    // The pivot follows `filepath.Match`, where `**` is one folder like `*`.
    ['**/./a/*.txt', 'x/a/b.txt', 3],
    ['**/./a/*.txt', 'x/y/a/b.txt', undefined],
  ])('with a pivot: %s on %s', (source, path, expected) => {
    expect(depthOf(source, path)).toBe(expected);
  });

  it('stops at the outer match', () => {
    expect(depthOf('**/d', 'a/d/x/d')).toBe(2);
    expect(depthOf('**/d', 'a/d/x/d/e.txt')).toBe(2);
  });

  it('matches nothing for an exception', () => {
    expect(depthOf('!x/**', 'x/a')).toBeUndefined();
  });

  it('rejects an unclosed bracket', () => {
    expect(() => depthOf('x/**/[a', 'x/a')).toThrow(BuildError);
    expect(() => depthOf('x/**/[a', 'x/a')).toThrow(
      /invalid --parents source pattern x\/\*\*\/\[a/,
    );
  });
});

describe('matchParentsSource', () => {
  const context = contextOf([
    'src/a.txt',
    'src/a.md',
    'src/x/b.txt',
    'src/x/y/c.txt',
    'src/x/y/z/w/d.txt',
    'other/e.txt',
  ]);

  function matched(source: string): string[] {
    return matchParentsSource(context, source).map((item) => item.matchedPath);
  }

  it('matches zero, one and more folders', () => {
    expect(matched('./src/**/*.txt')).toEqual([
      'src/a.txt',
      'src/x/b.txt',
      'src/x/y/c.txt',
      'src/x/y/z/w/d.txt',
    ]);
  });

  it('keeps only the outermost match', () => {
    expect(matched('src/**')).toEqual(['src/a.md', 'src/a.txt', 'src/x']);
    expect(matched('**/y')).toEqual(['src/x/y']);
  });

  it('leaves a path without wildcards to matchSource', () => {
    expect(matched('src/x')).toEqual(['src/x']);
  });

  it('places matches under their parents', () => {
    const sources = matchParentsSource(context, './src/./**/*.txt');
    const targets = placeWithParents(context, sources, '/parents/').map((item) => item.target);
    expect(targets).toEqual([
      '/parents/a.txt',
      '/parents/x',
      '/parents/x/b.txt',
      '/parents/x/y',
      '/parents/x/y/c.txt',
      '/parents/x/y/z',
      '/parents/x/y/z/w',
      '/parents/x/y/z/w/d.txt',
    ]);
  });

  it('places matches after the first pivot', () => {
    const sources = matchParentsSource(context, 'src/./x/./**/c.txt');
    const targets = placeWithParents(context, sources, '/parents/').map((item) => item.target);
    expect(targets).toEqual(['/parents/x', '/parents/x/y', '/parents/x/y/c.txt']);
  });
});

describe('plain COPY sources', () => {
  const context = contextOf(['src/a.txt', 'src/x/b.txt', 'src/x/y/c.txt']);

  it('keeps filepath.Match rules, where ** is one folder', () => {
    const matched = matchSources(context, ['src/**/*.txt']).map((item) => item.matchedPath);
    expect(matched).toEqual(['src/x/b.txt']);
  });
});
