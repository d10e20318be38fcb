import { describe, expect, it } from 'vitest';
import type { CacheKeyInputs, FileInput } from './cache-key.js';
import { commonDirectory, explainMiss } from './explain-miss.js';

const BASE: CacheKeyInputs = {
  parent: `sha256:${'a'.repeat(64)}`,
  platform: 'linux/amd64',
  instruction: 'RUN',
  arguments: ['make', 'all'],
  buildArgs: { VERSION: '1.2' },
  env: { PATH: '/usr/bin' },
};

function file(path: string, digest = 'sha256:1', mode = 0o644): FileInput {
  return { path, type: 'file', mode, digest };
}

function messages(previous: CacheKeyInputs | undefined, current: CacheKeyInputs): string[] {
  return explainMiss(previous, current).map((reason) => reason.message);
}

describe('explainMiss', () => {
  it('reports no previous build', () => {
    expect(messages(undefined, BASE)).toEqual(['no earlier build of this step is cached']);
  });

  it('reports a changed build arg', () => {
    const current = { ...BASE, buildArgs: { VERSION: '1.3' } };
    expect(messages(BASE, current)).toEqual(['build arg VERSION changed from 1.2 to 1.3']);
  });

  it('reports added and removed build args', () => {
    const current = { ...BASE, buildArgs: { DEBUG: '1' } };
    expect(messages(BASE, current)).toEqual([
      'build arg DEBUG added (1)',
      'build arg VERSION removed (was 1.2)',
    ]);
  });

  it('reports a changed parent with short ids', () => {
    const current = { ...BASE, parent: `sha256:${'b'.repeat(64)}` };
    expect(messages(BASE, current)).toEqual([
      'parent image changed from sha256:aaaaaaaaaaaa to sha256:bbbbbbbbbbbb',
    ]);
  });

  it('reports a new builder version', () => {
    const current = { ...BASE, producer: 'gantry-builder.2' };
    expect(messages(BASE, current)).toEqual([
      'builder version changed from none to gantry-builder.2',
    ]);
  });

  it('quotes changed arguments', () => {
    const current = { ...BASE, arguments: ['make', 'test'] };
    expect(messages(BASE, current)).toEqual(['arguments changed from "make all" to "make test"']);
  });

  it('reports a flag and an environment variable', () => {
    const current = { ...BASE, flags: { chown: '1000' }, env: { PATH: '/bin' } };
    expect(messages(BASE, current)).toEqual([
      'flag --chown added (1000)',
      'environment variable PATH changed from /usr/bin to /bin',
    ]);
  });

  it('groups changed files under their folder', () => {
    const previous = {
      ...BASE,
      files: [file('website/index.html'), file('website/about.html'), file('website/a/x.css')],
    };
    const current = {
      ...previous,
      files: [
        file('website/index.html', 'sha256:2'),
        file('website/about.html', 'sha256:2'),
        file('website/a/x.css', 'sha256:1', 0o755),
      ],
    };
    expect(messages(previous, current)).toEqual([
      '3 files changed under website/: a/x.css, about.html, index.html',
    ]);
  });

  it('lists five files then counts the rest', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const current = { ...BASE, files: names.map((name) => file(`src/${name}`)) };
    const [reason] = explainMiss(BASE, current);
    expect(reason?.message).toBe('7 files added under src/: a, b, c, d, e, and 2 more');
    expect(reason).toMatchObject({ kind: 'files', change: 'added', directory: 'src' });
  });

  it('reports removed files at the root', () => {
    const previous = { ...BASE, files: [file('a.txt'), file('lib/b.txt')] };
    expect(messages(previous, BASE)).toEqual([
      '2 files removed in the build context: a.txt, lib/b.txt',
    ]);
  });

  it('reports a changed owner of a file from an image', () => {
    const before = { ...file('app/run'), owner: '0:0' };
    const previous = { ...BASE, files: [before] };
    const current = { ...BASE, files: [{ ...before, owner: '1000:1000' }] };
    expect(messages(previous, current)).toEqual(['1 file changed under app/: run']);
  });

  it('names the source image for files from an image', () => {
    const previous = { ...BASE, files: [{ ...file('run'), owner: '0:0' }] };
    expect(messages(previous, BASE)).toEqual(['1 file removed in the source image: run']);
  });

  it('reports a key-format change for equal inputs', () => {
    expect(explainMiss(BASE, { ...BASE })).toMatchObject([{ kind: 'key-format' }]);
  });

  it('keeps structured values', () => {
    const current = { ...BASE, buildArgs: { VERSION: '1.3' } };
    expect(explainMiss(BASE, current)).toEqual([
      {
        kind: 'build-arg',
        name: 'VERSION',
        before: '1.2',
        after: '1.3',
        message: 'build arg VERSION changed from 1.2 to 1.3',
      },
    ]);
  });
});

describe('commonDirectory', () => {
  it.each([
    [['a/b/c', 'a/b/d'], 'a/b'],
    [['a/b/c', 'a/x'], 'a'],
    [['a', 'b'], ''],
    [['a/b'], 'a'],
  ])('of %j is %j', (paths, expected) => {
    expect(commonDirectory(paths)).toBe(expected);
  });
});
