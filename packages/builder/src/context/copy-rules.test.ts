import { describe, expect, it } from 'vitest';
import { BuildError } from '../errors.js';
import type { ContextFiles } from './context-files.js';
import { fileName } from './download-source.js';
import { excludeSources } from './exclude-sources.js';
import { heredocName, protectQuotes } from './heredoc-sources.js';
import { matchSources } from './match-sources.js';
import { pivotOf } from './parent-paths.js';

/** Builds a context of the given files, with their folders, as `readContext` lists it. */
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
  return {
    root: '/context',
    entries,
    byPath: new Map(entries.map((e) => [e.path, e])),
    classicSize: 0,
  };
}

describe('heredocName', () => {
  it.each([
    ['<<EOF', 'EOF'],
    ['<<-EOF', 'EOF'],
    ['<<"EOF"', 'EOF'],
    ["<<-'file.txt'", 'file.txt'],
    ['a.txt', undefined],
    ['"<<EOF"', undefined],
  ])('%s', (source, expected) => {
    expect(heredocName(source)).toBe(expected);
  });
});

describe('protectQuotes', () => {
  it.each([
    ['say "hi"', 'say \\"hi\\"'],
    ["it's", "it\\'s"],
    [`\${A:-"x"}`, `\${A:-"x"}`],
    ['\\"kept', '\\"kept'],
    [`"\${A}"`, `\\"\${A}\\"`],
  ])('%s', (text, expected) => {
    expect(protectQuotes(text, '\\')).toBe(expected);
  });
});

describe('pivotOf', () => {
  it.each([
    ['./x/a.txt', ''],
    ['x/./y/*.txt', 'x'],
    ['./a/b/./c/./d', 'a/b'],
    ['/./x', ''],
  ])('%s', (source, expected) => {
    expect(pivotOf(source)).toBe(expected);
  });
});

describe('fileName', () => {
  it.each([
    ['http://127.0.0.1/files/app.txt', undefined, 'app.txt'],
    ['http://127.0.0.1/files/app.txt?v=1', undefined, 'app.txt'],
    ['http://127.0.0.1/a%20b.txt', undefined, 'a b.txt'],
    ['http://127.0.0.1/dir/', 'attachment; filename="named.bin"', 'named.bin'],
    ['http://127.0.0.1/', undefined, '__unnamed__'],
    // The classic builder takes the last part of the decoded path.
    ['http://127.0.0.1/a%2Fb.txt', undefined, 'b.txt'],
    ['http://127.0.0.1/..%2F..%2Fetc%2Fevil.txt', undefined, 'evil.txt'],
    ['http://127.0.0.1/dir%2F', 'attachment; filename="named.bin"', 'named.bin'],
    ['http://127.0.0.1/%2E%2E', undefined, '__unnamed__'],
  ])('%s', (url, disposition, expected) => {
    expect(fileName(url, disposition)).toBe(expected);
  });

  it('rejects an invalid percent-encoding', () => {
    const url = 'http://127.0.0.1/bad%zz.txt';
    expect(() => fileName(url, undefined)).toThrow(BuildError);
    expect(() => fileName(url, undefined)).toThrow(/invalid percent-encoding in .*bad%zz\.txt/);
  });
});

describe('excludeSources', () => {
  const context = contextOf(['home.md', 'home.txt', 'app/a.js', 'app/b.log', 'app/tmp/c']);

  function kept(sources: string[], patterns: string[]): string[] {
    return excludeSources(matchSources(context, sources), patterns).flatMap((source) =>
      source.entry.type === 'dir'
        ? source.children.map((child) => child.path)
        : [source.entry.path],
    );
  }

  it('drops matched sources a pattern names', () => {
    expect(kept(['hom*'], ['*.txt'])).toEqual(['home.md']);
  });

  it('matches inside a folder source', () => {
    expect(kept(['app'], ['*.log', 'tmp'])).toEqual(['app/a.js']);
  });

  it('keeps everything without patterns', () => {
    expect(kept(['app'], [])).toEqual(['app/a.js', 'app/b.log', 'app/tmp', 'app/tmp/c']);
  });
});

describe('matchSources', () => {
  const context = contextOf(['package.json', 'a.txt']);

  function matchedPaths(sources: string[]): string[] {
    return matchSources(context, sources).map((source) => source.entry.path);
  }

  it('skips a wildcard that matches nothing', () => {
    expect(matchedPaths(['package*.json', 'yarn.lock*'])).toEqual(['package.json']);
    expect(matchedPaths(['nom?tch', 'a.txt'])).toEqual(['a.txt']);
  });

  it('rejects sources that all match nothing', () => {
    expect(() => matchSources(context, ['yarn.lock*', 'other*'])).toThrow(
      'file not found in build context or excluded by .dockerignore: yarn.lock*',
    );
  });

  it('rejects a missing path beside a match', () => {
    expect(() => matchSources(context, ['a.txt', 'missing.txt'])).toThrow(
      'excluded by .dockerignore: missing.txt',
    );
  });
});
