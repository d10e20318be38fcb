import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { temporaryFolder } from '../context/test-fixtures.js';
import type { CacheEntry } from './cache-store.js';
import { defaultCacheDir } from './default-cache-dir.js';
import { FileSystemStore } from './file-system-store.js';
import { entry } from './test-entries.js';

let folder: Awaited<ReturnType<typeof temporaryFolder>>;

beforeEach(async () => {
  folder = await temporaryFolder('fs-store');
});

afterEach(async () => {
  await folder.remove();
});

function entryPath(store: FileSystemStore, key: string): string {
  const hex = key.slice('sha256:'.length);
  return join(store.folder, 'entries', hex.slice(0, 2), `${hex}.json`);
}

describe('FileSystemStore damaged entries', () => {
  it.each([
    ['truncated', (text: string) => text.slice(0, text.length - 20)],
    ['missing its last newline', (text: string) => text.slice(0, -1)],
    ['garbled', () => '{"version":1,"key":\u0000\n'],
    ['empty', () => ''],
    ['for another key', (text: string) => text.replace(/"key":"sha256:01/, '"key":"sha256:02')],
  ])('treats an entry %s as a miss and removes it', async (_label, damage) => {
    const store = new FileSystemStore({ root: folder.path });
    await store.put(entry(1));
    const file = entryPath(store, entry(1).key);
    await writeFile(file, damage(await readFile(file, 'utf8')));
    expect(await store.get(entry(1).key)).toBeUndefined();
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('skips a garbled entry in list', async () => {
    const store = new FileSystemStore({ root: folder.path });
    await store.put(entry(1));
    await store.put(entry(2));
    await writeFile(entryPath(store, entry(2).key), 'not json');
    const keys: string[] = [];
    for await (const summary of store.list()) {
      keys.push(summary.key);
    }
    expect(keys).toEqual([entry(1).key]);
  });

  it('ignores a garbled step pointer', async () => {
    const store = new FileSystemStore({ root: folder.path });
    await store.put(entry(1));
    const hex = entry(1).step.slice('sha256:'.length);
    await writeFile(join(store.folder, 'steps', `${hex}.json`), '{"key":');
    expect(await store.latest(entry(1).step)).toBeUndefined();
  });

  it('rewrites a step pointer only when it names another key', async () => {
    const store = new FileSystemStore({ root: folder.path });
    await store.put(entry(1));
    const hex = entry(1).step.slice('sha256:'.length);
    const pointer = join(store.folder, 'steps', `${hex}.json`);
    const before = await stat(pointer);
    await store.markLatest(entry(1).step, entry(1).key);
    expect((await stat(pointer)).ino).toBe(before.ino);
    await store.put(entry(2));
    expect((await stat(pointer)).ino).not.toBe(before.ino);
    expect((await store.latest(entry(1).step))?.key).toBe(entry(2).key);
  });

  it('reads an entry of more than 64 KiB', async () => {
    const store = new FileSystemStore({ root: folder.path });
    const files = Array.from({ length: 2000 }, (_, index) => ({
      path: `src/file-${index}.ts`,
      type: 'file' as const,
      mode: 0o644,
      digest: `sha256:${'ab'.repeat(32)}`,
    }));
    const big = entry(1, { inputs: { ...entry(1).inputs, files } });
    await store.put(big);
    expect((await stat(entryPath(store, big.key))).size).toBeGreaterThan(64 * 1024);
    expect((await store.get(big.key))?.inputs.files).toEqual(files);
    const keys: string[] = [];
    for await (const summary of store.list()) keys.push(summary.key);
    expect(keys).toEqual([big.key]);
  });

  it('rejects a malformed key on put', async () => {
    const store = new FileSystemStore({ root: folder.path });
    await expect(store.put(entry(1, { key: 'abc' }))).rejects.toMatchObject({
      code: 'STORE_IO_FAILED',
    });
  });

  it('skips a stray file among the shards', async () => {
    const store = new FileSystemStore({ root: folder.path });
    await store.put(entry(1));
    await writeFile(join(store.folder, 'entries', 'notes.json'), 'junk');
    const keys: string[] = [];
    for await (const summary of store.list()) {
      keys.push(summary.key);
    }
    expect(keys).toEqual([entry(1).key]);
    expect((await store.stats()).entries).toBe(1);
    expect(await store.prune({})).toEqual([]);
  });

  it.each([
    ['createdAt', { createdAt: undefined }],
    ['lastUsedAt', { lastUsedAt: Number.NaN }],
    ['imageId', { imageId: 7 }],
  ])('rejects an entry with an invalid %s on put', async (field, overrides) => {
    const store = new FileSystemStore({ root: folder.path });
    const invalid = { ...entry(1), ...overrides } as unknown as CacheEntry;
    const putting = store.put(invalid);
    await expect(putting).rejects.toMatchObject({ code: 'STORE_IO_FAILED' });
    await expect(putting).rejects.toThrow(`invalid ${field}`);
    await expect(stat(entryPath(store, entry(1).key))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('prune removes old temporary files', async () => {
    const store = new FileSystemStore({ root: folder.path });
    await store.put(entry(1));
    const shard = dirname(entryPath(store, entry(1).key));
    const stale = join(shard, 'x.json.1.abc.tmp');
    const fresh = join(shard, 'y.json.1.abc.tmp');
    await writeFile(stale, '');
    await writeFile(fresh, '');
    await utimes(stale, 1, 1);
    await store.prune({});
    expect((await readdir(shard)).sort()).toEqual([`${'01'.repeat(32)}.json`, 'y.json.1.abc.tmp']);
  });
});

describe('defaultCacheDir', () => {
  it('uses XDG_CACHE_HOME', () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x/cache' })).toBe('/x/cache/gantry');
  });

  it('ignores a relative XDG_CACHE_HOME', () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: 'rel' })).toMatch(/\/\.cache\/gantry$/);
  });

  it('falls back to ~/.cache', () => {
    expect(defaultCacheDir({})).toMatch(/\/\.cache\/gantry$/);
  });
});

const run = promisify(execFile);
const SOURCE = dirname(dirname(fileURLToPath(import.meta.url)));

/** Transpiles the package's sources to JavaScript so plain Node child processes can load them. */
async function transpileSources(target: string, folderPath = SOURCE): Promise<void> {
  for (const item of await readdir(folderPath, { withFileTypes: true })) {
    const path = join(folderPath, item.name);
    if (item.isDirectory()) {
      await transpileSources(target, path);
    } else if (item.name.endsWith('.ts') && !item.name.endsWith('.test.ts')) {
      const output = ts.transpileModule(await readFile(path, 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      });
      const file = join(target, relative(SOURCE, path)).replace(/\.ts$/, '.js');
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, output.outputText);
    }
  }
}

/** Child process: puts entries 0..count-1 (keys shared with the other writers), reads, prunes. */
const WRITER = `
import { FileSystemStore } from './store/file-system-store.js';
const [root, writer, count] = process.argv.slice(2);
const store = new FileSystemStore({ root });
for (let n = 0; n < Number(count); n++) {
  const hex = n.toString(16).padStart(4, '0').repeat(16);
  await store.put({
    key: 'sha256:' + hex, imageId: 'sha256:' + writer.repeat(64), createdAt: n, lastUsedAt: Date.now(),
    size: n, stepText: 'RUN step ' + n + ' '.repeat(5000 * (n % 3)), step: 'sha256:' + hex,
    inputs: { parent: 'p', platform: 'linux/amd64', instruction: 'RUN', arguments: [writer, String(n)] },
  });
  await store.get('sha256:' + ((n * 7) % Number(count)).toString(16).padStart(4, '0').repeat(16));
  if (n % 50 === 0) await store.prune({ maxAge: 3_600_000 });
}
`;

describe('FileSystemStore with several processes', () => {
  it('leaves every entry readable', async () => {
    const code = join(folder.path, 'code');
    const root = join(folder.path, 'cache');
    await transpileSources(code);
    await writeFile(join(code, 'writer.mjs'), WRITER);
    const writers = ['1', '2', '3', '4'];
    const count = 200;
    await Promise.all(
      writers.map((writer) =>
        run(process.execPath, [join(code, 'writer.mjs'), root, writer, String(count)]),
      ),
    );
    const store = new FileSystemStore({ root });
    let listed = 0;
    for await (const summary of store.list()) {
      listed++;
      const full = await store.get(summary.key);
      expect(full?.inputs.arguments[1]).toBe(String(summary.size));
      expect(writers).toContain(full?.inputs.arguments[0]);
    }
    expect(listed).toBe(count);
    const leftovers = (await readdir(store.folder, { recursive: true })).filter((name) =>
      name.endsWith('.tmp'),
    );
    expect(leftovers).toEqual([]);
  }, 120_000);
});
