import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DockerignoreMatcher } from '../dockerignore/dockerignore-matcher.js';
import { ContextError } from '../errors.js';
import { temporaryFolder, writeTree } from './test-fixtures.js';
import { walkContext } from './walk-context.js';
import { compareWalkOrder } from './walk-order.js';

let folder: Awaited<ReturnType<typeof temporaryFolder>>;

beforeEach(async () => {
  folder = await temporaryFolder('walk');
});

afterEach(async () => {
  await folder.remove();
});

async function walkedPaths(patterns: string[] = []): Promise<string[]> {
  const matcher = new DockerignoreMatcher(patterns);
  const paths: string[] = [];
  for await (const entry of walkContext({ contextDir: folder.path, matcher })) {
    paths.push(entry.type === 'dir' ? `${entry.path}/` : entry.path);
  }
  return paths;
}

describe('walkContext', () => {
  it('yields depth first with names sorted', async () => {
    await writeTree(folder.path, { 'b.txt': 'b', 'a/z': 'z', 'a.c': 'c', 'a/b/c': 'c', B: 'B' });
    expect(await walkedPaths()).toEqual(['B', 'a/', 'a/b/', 'a/b/c', 'a/z', 'a.c', 'b.txt']);
  });

  it('sorts names by code point, not UTF-16 unit', async () => {
    await writeTree(folder.path, { '😀': '', '\uFF01': '', a: '' });
    expect(await walkedPaths()).toEqual(['a', '\uFF01', '😀']);
  });

  it('yields a FIFO as other', async () => {
    execFileSync('mkfifo', [join(folder.path, 'pipe')]);
    const entries = [];
    for await (const entry of walkContext({ contextDir: folder.path })) {
      entries.push([entry.path, entry.type]);
    }
    expect(entries).toEqual([['pipe', 'other']]);
  });

  it('yields in compareWalkOrder order', async () => {
    await writeTree(folder.path, { 'x-y/a': '', 'x/y': '', 'x.y': '', 'é/a': '', 'x/😀': '' });
    const paths = (await walkedPaths()).map((path) => path.replace(/\/$/, ''));
    expect([...paths].sort(compareWalkOrder)).toEqual(paths);
  });

  it('skips an excluded folder without exceptions', async () => {
    await writeTree(folder.path, { 'node_modules/x/y': '', 'src/a': '' });
    expect(await walkedPaths(['node_modules'])).toEqual(['src/', 'src/a']);
  });

  it('walks an excluded folder with an exception inside', async () => {
    await writeTree(folder.path, { 'docs/README.md': '', 'docs/other.md': '' });
    expect(await walkedPaths(['docs', '!docs/README.md'])).toEqual(['docs/README.md']);
  });

  it('leaves a folder closed for a wildcard exception', async () => {
    await writeTree(folder.path, { 'logs/a.log': '', 'b.log': '' });
    expect(await walkedPaths(['logs', '*.log', '!**/*.log'])).toEqual(['b.log']);
  });

  it('yields symlinks without following them', async () => {
    await writeTree(folder.path, { out: { link: '/etc' }, 'dir/in': { link: '../out' } });
    const entries: [string, string][] = [];
    for await (const entry of walkContext({ contextDir: folder.path })) {
      entries.push([entry.path, entry.type]);
    }
    expect(entries).toEqual([
      ['dir', 'dir'],
      ['dir/in', 'symlink'],
      ['out', 'symlink'],
    ]);
  });

  it('skips sockets', async () => {
    await writeTree(folder.path, { a: 'a' });
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(folder.path, 'sock'), resolve));
    try {
      expect(await walkedPaths()).toEqual(['a']);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('rejects a missing context', async () => {
    const walk = walkContext({ contextDir: join(folder.path, 'missing') });
    await expect(walk.next()).rejects.toMatchObject({ code: 'CONTEXT_NOT_FOUND' });
  });

  it('rejects a file as context', async () => {
    await writeTree(folder.path, { file: 'x' });
    const walk = walkContext({ contextDir: join(folder.path, 'file') });
    await expect(walk.next()).rejects.toBeInstanceOf(ContextError);
  });

  it('stops when the signal aborts', async () => {
    await writeTree(folder.path, { a: 'a' });
    const walk = walkContext({ contextDir: folder.path, signal: AbortSignal.abort('stop') });
    await expect(walk.next()).rejects.toBe('stop');
  });
});

describe('compareWalkOrder', () => {
  it.each([
    ['a', 'a/b', -1],
    ['a/b', 'a.c', -1],
    ['a/z', 'a.c', -1],
    ['B', 'a', -1],
    ['a/b', 'a/b', 0],
    ['\uFFFD', '😀', -1],
  ])('orders %j before or after %j: %i', (a, b, sign) => {
    expect(Math.sign(compareWalkOrder(a, b))).toBe(sign);
    expect(Math.sign(compareWalkOrder(b, a)) + sign).toBe(0);
  });
});
