import { describe, expect, it } from 'vitest';
import { classicTarSize } from './context/context-files.js';
import { cleanSource, globToRegExp } from './context/match-sources.js';
import { goDuration, goQuote, goQuoteRune } from './go-format.js';
import { exposedPorts } from './steps/expose.js';
import { normalizeWorkdir } from './steps/workdir.js';
import { tagProblem } from './tag-reference.js';

describe('exposedPorts', () => {
  it.each([
    ['80', ['80/tcp']],
    ['80:8080', ['8080/tcp']],
    ['127.0.0.1:80:8080/udp', ['8080/udp']],
    ['53/UDP', ['53/udp']],
    ['8000-8002', ['8000/tcp', '8001/tcp', '8002/tcp']],
  ])('%s', (spec, expected) => {
    expect(exposedPorts([spec])).toEqual(expected);
  });

  it('rejects a port that is not a number', () => {
    expect(() => exposedPorts(['http'])).toThrow(/Invalid port "http"/);
  });
});

describe('normalizeWorkdir', () => {
  it.each([
    ['', 'app', '/app'],
    ['/srv', 'app/', '/srv/app'],
    ['/srv', '/abs/../x', '/x'],
    ['/a', 'b/../c', '/a/c'],
    ['/a', '/', '/'],
  ])('%s + %s', (current, requested, expected) => {
    expect(normalizeWorkdir(current, requested)).toBe(expected);
  });
});

describe('goDuration', () => {
  it.each([
    [0, '0s'],
    [5e9, '5s'],
    [90e9, '1m30s'],
    [36e11, '1h0m0s'],
    [5e8, '500ms'],
    [1.5e9, '1.5s'],
  ])('%d ns', (nanoseconds, expected) => {
    expect(goDuration(nanoseconds)).toBe(expected);
  });
});

describe('Go quoting', () => {
  it('quotes strings as %q', () => {
    expect(goQuote('a "b"\n')).toBe('"a \\"b\\"\\n"');
  });

  it.each([
    [0, "'\\x00'"],
    [3, "'\\x03'"],
    [65, "'A'"],
  ])('quotes rune %d', (value, expected) => {
    expect(goQuoteRune(value)).toBe(expected);
  });
});

describe('COPY sources', () => {
  it.each([
    ['./website/.', 'website'],
    ['/abs/file', 'abs/file'],
    ['.', ''],
    ['a/../b', 'b'],
  ])('cleans %s', (source, expected) => {
    expect(cleanSource(source)).toBe(expected);
  });

  it('rejects a path outside the context', () => {
    expect(() => cleanSource('../secret')).toThrow(/outside the build context/);
  });

  it.each([
    ['*.md', 'a.md', true],
    ['*.md', 'dir/a.md', false],
    ['file?.txt', 'file1.txt', true],
    ['[ab].txt', 'b.txt', true],
    ['[!ab].txt', 'b.txt', false],
    ['[^ab].txt', 'c.txt', true],
    ['[a-c].txt', 'b.txt', true],
    ['[\\]].txt', '].txt', true],
    ['[a-].txt', 'a.txt', false],
    ['[].txt', '[].txt', false],
    ['a[b', 'a[b', false],
    ['a*[b', 'a[b', false],
    ['a\\', 'a\\', false],
  ])('%s matches %s: %s', (pattern, path, expected) => {
    expect(globToRegExp(pattern).test(path)).toBe(expected);
  });
});

describe('tagProblem', () => {
  it.each([
    'busybox',
    'app:1.0',
    'org/app_x:latest',
    'a__b/c-d.e:_t',
    'localhost/app',
    '127.0.0.1:5000/busybox:1',
    'Registry.example.com:5000/team/app:V1',
    `app@sha256:${'a'.repeat(64)}`,
  ])('accepts %s', (reference) => {
    expect(tagProblem(reference)).toBeUndefined();
  });

  it.each([
    ['Bad:Tag:x', /must be lowercase/],
    ['org/App', /must be lowercase/],
    ['', /at least one component/],
    ['app:', /tag must match/],
    ['app:-x', /tag must match/],
    [`app:${'t'.repeat(129)}`, /tag must match/],
    ['a:b:c', /path component/],
    ['app_/x', /path component/],
    ['host_name:5000/app', /registry host/],
    ['app@sha256:12', /digest/],
    ['a'.repeat(64), /image id/],
    [`${'a/'.repeat(128)}a`, /255 characters/],
  ])('rejects %s', (reference, rule) => {
    expect(tagProblem(reference)).toMatch(rule);
  });
});

describe('classicTarSize', () => {
  it('counts headers, rounded data and end blocks', () => {
    const entries = [
      { path: 'Dockerfile', type: 'file' as const, mode: 0o644, size: 338, digest: '' },
      { path: 'dir', type: 'dir' as const, mode: 0o755, size: 4096, digest: '' },
      { path: 'dir/a.txt', type: 'file' as const, mode: 0o644, size: 700, digest: '' },
    ];
    expect(classicTarSize(entries)).toBe(1024 + 512 + 512 + 512 + 512 + 1024);
  });
});
