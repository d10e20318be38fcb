import { appendFileSync } from 'node:fs';
import { chmod, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestContext } from './digest-context.js';
import { MANIFEST_HEADER } from './manifest-reader.js';
import { segmentLength } from './manifest-segment.js';
import { temporaryFolder, writeTree } from './test-fixtures.js';

let context: Awaited<ReturnType<typeof temporaryFolder>>;
let cache: Awaited<ReturnType<typeof temporaryFolder>>;

beforeEach(async () => {
  context = await temporaryFolder('context');
  cache = await temporaryFolder('stat-cache');
});

afterEach(async () => {
  await context.remove();
  await cache.remove();
});

/**
 * Digests with the racy window off, so files written by the test are trusted
 * at once. It waits 10 ms first because a file written in the same millisecond
 * as the run starts is still racy.
 */
async function digest(extra: { statCacheDir?: string; patterns?: string[] } = {}) {
  await new Promise((resolve) => setTimeout(resolve, 10));
  return digestContext({
    contextDir: context.path,
    statCacheDir: cache.path,
    racyWindowMs: 0,
    ...extra,
  });
}

/** Moves a file's mtime back, so the stat cache trusts it as it would an old file. */
async function age(path: string): Promise<void> {
  await utimes(join(context.path, path), 1_000_000, 1_000_000);
}

const TREE = {
  'a.txt': 'a',
  'web/index.html': '<h1>',
  'web/css/site.css': 'body{}',
  link: { link: 'web/index.html' },
  'empty/': null,
};

describe('digestContext', () => {
  it('counts entries and bytes', async () => {
    await writeTree(context.path, TREE);
    const result = await digest();
    expect(result.entries).toBe(7);
    expect(result.files).toBe(3);
    expect(result.bytes).toBe(1 + 4 + 6);
    expect(result.readEntries).toBe(4);
  });

  it('reuses every digest when nothing changed', async () => {
    await writeTree(context.path, TREE);
    const first = await digest();
    const second = await digest();
    expect(second.digest).toBe(first.digest);
    expect(second.readEntries).toBe(0);
    expect(second.reusedEntries).toBe(4);
  });

  it('reads only the changed file', async () => {
    await writeTree(context.path, TREE);
    const first = await digest();
    await writeFile(join(context.path, 'web/index.html'), '<h2>');
    const second = await digest();
    expect(second.readEntries).toBe(1);
    expect(second.digest).not.toBe(first.digest);
  });

  it('sees a content change that keeps size and mtime', async () => {
    await writeTree(context.path, TREE);
    await age('a.txt');
    const first = await digest();
    await writeFile(join(context.path, 'a.txt'), 'b');
    await age('a.txt');
    const second = await digest();
    expect(second.readEntries).toBe(1);
    expect(second.digest).not.toBe(first.digest);
  });

  it('counts a mode change', async () => {
    await writeTree(context.path, TREE);
    const first = await digest();
    await chmod(join(context.path, 'a.txt'), 0o755);
    const second = await digest();
    expect(second.digest).not.toBe(first.digest);
  });

  it('reads a racy file again next run', async () => {
    await writeTree(context.path, TREE);
    await digestContext({ contextDir: context.path, statCacheDir: cache.path });
    const second = await digestContext({ contextDir: context.path, statCacheDir: cache.path });
    expect(second.readEntries).toBe(4);
  });

  it('drops deleted files and adds new ones', async () => {
    await writeTree(context.path, TREE);
    await digest();
    await rm(join(context.path, 'web/css'), { recursive: true });
    await writeTree(context.path, { 'web/new.js': 'x', 'b.txt': 'b' });
    const second = await digest();
    const fresh = await digest({ statCacheDir: join(cache.path, 'fresh') });
    expect(second.digest).toBe(fresh.digest);
    expect(second.readEntries).toBe(2);
  });

  it('reuses digests across manifest read windows', async () => {
    // Long names make the manifest larger than the 1 MiB its reader reads at once.
    const folder = (index: number) => `d${index % 7}-${'x'.repeat(100)}`;
    const tree = Object.fromEntries(
      Array.from({ length: 3000 }, (_, index) => [
        `${folder(index)}/file-${index}-${'y'.repeat(80)}.txt`,
        `${index}`,
      ]),
    );
    await writeTree(context.path, tree);
    const first = await digest();
    const second = await digest();
    expect((await stat(first.manifestFile)).size).toBeGreaterThan(1024 * 1024);
    expect(second.readEntries).toBe(0);
    expect(second.reusedEntries).toBe(3000);
  }, 30_000);

  it('reuses digests of paths that need JSON escapes', async () => {
    await writeTree(context.path, { 'quo"te': 'a', 'back\\slash': 'b', 'tab\there': 'c' });
    const first = await digest();
    const second = await digest();
    expect(second.readEntries).toBe(0);
    expect(second.digest).toBe(first.digest);
  });

  it('reports a file that keeps changing while read', async () => {
    await writeTree(context.path, { grow: 'x'.repeat(2 * 1024 * 1024) });
    let appending = true;
    const append = () => {
      if (appending) {
        appendFileSync(join(context.path, 'grow'), 'y');
        setImmediate(append);
      }
    };
    setImmediate(append);
    const result = await digest().finally(() => {
      appending = false;
    });
    expect(result.unstable).toEqual(['grow']);
    const again = await digest();
    expect(again.readEntries).toBe(1);
  });

  it('leaves the manifest alone when nothing changed', async () => {
    await writeTree(context.path, TREE);
    await digest();
    const second = await digest();
    const before = await stat(second.manifestFile);
    const third = await digest();
    const after = await stat(third.manifestFile);
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(before.mtimeMs);
  });

  it('rewrites the manifest when the last entry goes', async () => {
    await writeTree(context.path, TREE);
    await digest();
    await digest();
    await rm(join(context.path, 'web/index.html'));
    const second = await digest();
    const third = await digest();
    expect(third.digest).toBe(second.digest);
    expect(third.entries).toBe(6);
    expect(third.readEntries).toBe(0);
  });

  it('survives a garbled stat cache', async () => {
    await writeTree(context.path, TREE);
    const first = await digest();
    const header = (await readFile(first.manifestFile, 'utf8')).split('\n')[0];
    await writeFile(first.manifestFile, `${header}\n["a.txt", garbage`);
    const second = await digest();
    expect(second.digest).toBe(first.digest);
    expect(second.readEntries).toBe(4);
  });

  it('survives a truncated stat cache', async () => {
    await writeTree(context.path, TREE);
    const first = await digest();
    const bytes = await readFile(first.manifestFile);
    const firstSegmentEnd = MANIFEST_HEADER.length + (segmentLength(bytes, 32) ?? 0);
    await writeFile(first.manifestFile, bytes.subarray(0, firstSegmentEnd + 10));
    const second = await digest();
    expect(second.digest).toBe(first.digest);
    // The first segment is the root folder's: a.txt, empty, link, web.
    expect(second.reusedEntries).toBe(2);
    expect(second.readEntries).toBe(2);
  });

  it('splits a large folder into segments', async () => {
    const names = Array.from({ length: 5000 }, (_, index) => `f${String(index).padStart(4, '0')}`);
    await writeTree(context.path, Object.fromEntries(names.map((name) => [`big/${name}`, name])));
    const first = await digest();
    const second = await digest();
    expect(second.readEntries).toBe(0);
    expect(second.digest).toBe(first.digest);
    for (const name of ['f0100', 'f0101', 'f4500']) {
      await writeFile(join(context.path, 'big', name), 'changed');
    }
    const third = await digestContext({
      contextDir: context.path,
      statCacheDir: cache.path,
      racyWindowMs: 0,
      concurrency: 2,
    });
    const fresh = await digest({ statCacheDir: join(cache.path, 'fresh') });
    expect(third.readEntries).toBe(3);
    expect(third.digest).toBe(fresh.digest);
    expect((await digest()).readEntries).toBe(0);
  }, 30_000);

  it('follows a file replaced by a folder', async () => {
    await writeTree(context.path, { 'a/x': 'x', b: 'b', 'c/y': 'y' });
    await digest();
    await rm(join(context.path, 'b'));
    await writeTree(context.path, { 'b/z': 'z' });
    const second = await digest();
    const fresh = await digest({ statCacheDir: join(cache.path, 'fresh') });
    expect(second.digest).toBe(fresh.digest);
    expect(second.readEntries).toBe(1);
    expect(second.reusedEntries).toBe(2);
  });

  it('follows a folder replaced by a file', async () => {
    await writeTree(context.path, { 'a/x': 'x', 'b/z/w': 'w', 'c/y': 'y' });
    await digest();
    await rm(join(context.path, 'b'), { recursive: true });
    await writeTree(context.path, { b: 'b' });
    const second = await digest();
    const fresh = await digest({ statCacheDir: join(cache.path, 'fresh') });
    expect(second.digest).toBe(fresh.digest);
    expect(second.readEntries).toBe(1);
    expect(second.reusedEntries).toBe(2);
  });

  it('removes the text manifest of older versions', async () => {
    await writeTree(context.path, TREE);
    const first = await digest();
    const legacy = first.manifestFile.replace(/\.manifest$/, '.ndjson');
    await writeFile(legacy, '["gantry.context-manifest.v4"]\n');
    await writeFile(join(context.path, 'a.txt'), 'changed');
    await digest();
    await expect(stat(legacy)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('applies .dockerignore from the context', async () => {
    await writeTree(context.path, { ...TREE, '.dockerignore': 'web\n!web/index.html\n' });
    const result = await digest();
    const paths: string[] = [];
    for await (const entry of result.read()) {
      paths.push(entry.path);
    }
    expect(paths).toEqual(['.dockerignore', 'a.txt', 'empty', 'link', 'web/index.html']);
  });

  it('reads entries under a source', async () => {
    await writeTree(context.path, TREE);
    const result = await digest();
    const entries = [];
    for await (const entry of result.read({ under: ['./web/.'] })) {
      entries.push(entry);
    }
    expect(entries.map((entry) => entry.path)).toEqual([
      'web',
      'web/css',
      'web/css/site.css',
      'web/index.html',
    ]);
    expect(entries[3]?.mode).toBe(0o644);
    expect(entries[3]?.size).toBe(4);
    expect(entries[1]?.type).toBe('dir');
  });

  it('reads the whole context for /', async () => {
    await writeTree(context.path, TREE);
    const result = await digest();
    let count = 0;
    for await (const _entry of result.read({ under: ['/'] })) {
      count++;
    }
    expect(count).toBe(7);
  });

  it('rejects a concurrency of zero', async () => {
    await expect(digestContext({ contextDir: context.path, concurrency: 0 })).rejects.toThrow(
      RangeError,
    );
  });

  it('rejects a file as the context', async () => {
    await writeTree(context.path, { Dockerfile: 'FROM busybox' });
    const file = join(context.path, 'Dockerfile');
    const digesting = digestContext({ contextDir: file, statCacheDir: cache.path });
    await expect(digesting).rejects.toMatchObject({ code: 'CONTEXT_NOT_FOUND', path: file });
  });

  it('rejects an unreadable .dockerignore', async () => {
    await writeTree(context.path, { '.dockerignore/': null });
    const digesting = digestContext({ contextDir: context.path, statCacheDir: cache.path });
    await expect(digesting).rejects.toMatchObject({ code: 'CONTEXT_UNREADABLE' });
    await expect(digesting).rejects.toThrow(/\.dockerignore.*EISDIR/);
  });

  it('records a symlink target without following it', async () => {
    await writeTree(context.path, { out: { link: '/etc/passwd' } });
    const result = await digest();
    const entries = [];
    for await (const entry of result.read()) {
      entries.push(entry);
    }
    expect(entries).toMatchObject([{ path: 'out', type: 'symlink', linkTarget: '/etc/passwd' }]);
  });
});

const name = fc.constantFrom('a', 'a.b', 'B', 'é');
const treeArbitrary = fc.dictionary(
  fc.array(name, { minLength: 1, maxLength: 2 }).map((parts) => parts.join('/')),
  fc.constantFrom('', 'x', 'y', 'xy', 'yx'),
  { maxKeys: 12 },
);

/** Drops paths that would need a file to be a folder too. */
function consistent(tree: Record<string, string>): Record<string, string> {
  const paths = Object.keys(tree);
  return Object.fromEntries(
    Object.entries(tree).filter(([path]) => !paths.some((other) => other.startsWith(`${path}/`))),
  );
}

/** Turns the `before` tree on disk into `after`, leaving unchanged files untouched. */
async function applyChanges(before: Record<string, string>, after: Record<string, string>) {
  for (const [path, content] of Object.entries(before)) {
    if (after[path] !== content) {
      await rm(join(context.path, path), { recursive: true, force: true });
    }
  }
  for (const [path, content] of Object.entries(after)) {
    if (before[path] !== content) {
      await rm(join(context.path, path), { recursive: true, force: true });
      await writeTree(context.path, { [path]: content });
    }
  }
}

describe('digestContext stat cache', () => {
  it('gives the digest of a fresh run after any change', async () => {
    await fc.assert(
      fc.asyncProperty(treeArbitrary, treeArbitrary, async (before, after) => {
        await rm(context.path, { recursive: true, force: true });
        await writeTree(context.path, { ...consistent(before), '/': null });
        for (const path of Object.keys(consistent(before))) {
          await age(path);
        }
        await digest();
        await applyChanges(consistent(before), consistent(after));
        const cached = await digest();
        const fresh = await digest({ statCacheDir: join(cache.path, 'fresh') });
        await rm(join(cache.path, 'fresh'), { recursive: true, force: true });
        expect(cached.digest).toBe(fresh.digest);
        expect(cached.entries).toBe(fresh.entries);
        const third = await digest();
        expect(third.digest).toBe(fresh.digest);
        expect(third.readEntries).toBe(0);
      }),
      { numRuns: 25 },
    );
  }, 60_000);
});
