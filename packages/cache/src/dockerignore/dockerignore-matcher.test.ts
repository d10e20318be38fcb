import { describe, expect, it } from 'vitest';
import { DockerignorePatternError } from '../errors.js';
import { DockerignoreMatcher } from './dockerignore-matcher.js';
import type { DockerignoreRules } from './pattern.js';

const BOTH: DockerignoreRules[] = ['moby', 'docker-20.10'];

function excludes(patterns: string[], path: string, rules: DockerignoreRules = 'moby'): boolean {
  return new DockerignoreMatcher(patterns, { rules }).excludes(path);
}

describe.each(BOTH)('DockerignoreMatcher with %s rules', (rules) => {
  it.each([
    [['foo'], 'foo', true],
    [['foo'], 'foobar', false],
    [['foo'], 'foo/bar', true],
    [['*.log'], 'top.log', true],
    [['*.log'], 'dir/top.log', false],
    [['*/*.log'], 'dir/top.log', true],
    [['**/*.log'], 'a/b/c.log', true],
    [['**/*.log'], 'c.log', true],
    [['a/**/z'], 'a/z', true],
    [['a/**/z'], 'a/b/c/z', true],
    [['a/**'], 'a/b/c', true],
    [['a/**'], 'ab', false],
    [['?.txt'], 'a.txt', true],
    [['?.txt'], 'ab.txt', false],
    [['?.txt'], '😀.txt', true],
    [['*'], 'a/b', true],
    [['[a-c].md'], 'b.md', true],
    [['[a-c].md'], 'd.md', false],
    [['\\*.md'], '*.md', true],
    [['\\*.md'], 'a.md', false],
    [['file.txt'], 'fileXtxt', false],
    [['$x'], '$x', true],
  ])('%j on %j excludes: %s', (patterns, path, expected) => {
    expect(excludes(patterns, path, rules)).toBe(expected);
  });

  it('lets the last matching pattern win', () => {
    const patterns = ['docs', '!docs/README.md', 'docs/README.md'];
    expect(excludes(patterns, 'docs/README.md', rules)).toBe(true);
    expect(excludes(patterns.slice(0, 2), 'docs/README.md', rules)).toBe(false);
    expect(excludes(patterns.slice(0, 2), 'docs/other.md', rules)).toBe(true);
  });

  it('excludes children of a matched folder', () => {
    expect(excludes(['build'], 'build/out/a.o', rules)).toBe(true);
  });

  it('walks an excluded folder named by an exception', () => {
    const matcher = new DockerignoreMatcher(['docs', '!docs/README.md'], { rules });
    expect(matcher.walksExcludedFolder('docs')).toBe(true);
    expect(matcher.walksExcludedFolder('other')).toBe(false);
  });

  it('does not walk a folder for a wildcard exception', () => {
    const matcher = new DockerignoreMatcher(['keep', '!**/*.log'], { rules });
    expect(matcher.walksExcludedFolder('keep')).toBe(false);
  });

  it('rejects ! alone', () => {
    expect(() => new DockerignoreMatcher(['!'], { rules })).toThrow(DockerignorePatternError);
  });

  it('rejects a malformed class', () => {
    expect(() => new DockerignoreMatcher(['[a-'], { rules })).toThrow(/Invalid .dockerignore/);
  });
});

describe('DockerignoreMatcher rule differences', () => {
  it('moby checks every parent folder', () => {
    expect(excludes(['**/x'], 'a/b/x/y', 'moby')).toBe(true);
  });

  it('docker-20.10 checks only the parent as deep as the pattern', () => {
    expect(excludes(['**/x'], 'a/b/x/y', 'docker-20.10')).toBe(false);
  });

  it('moby escapes regexp characters', () => {
    expect(excludes(['a+b'], 'a+b', 'moby')).toBe(true);
    expect(excludes(['a+b'], 'aab', 'moby')).toBe(false);
  });

  it('docker-20.10 passes + to the regexp', () => {
    expect(excludes(['a+b'], 'a+b', 'docker-20.10')).toBe(false);
    expect(excludes(['a+b'], 'aab', 'docker-20.10')).toBe(true);
  });

  it('moby matches **foo as a suffix', () => {
    expect(excludes(['**foo'], 'xfoo', 'moby')).toBe(true);
  });

  it('docker-20.10 matches **foo as a whole name', () => {
    expect(excludes(['**foo'], 'xfoo', 'docker-20.10')).toBe(false);
    expect(excludes(['**foo'], 'y/foo', 'docker-20.10')).toBe(true);
  });

  it('defaults to moby rules', () => {
    expect(new DockerignoreMatcher([]).rules).toBe('moby');
  });
});
