import { createHash } from 'node:crypto';
import { chmod, lstat, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestFile, digestSymlink, sameStats } from './file-digest.js';
import { temporaryFolder, writeTree } from './test-fixtures.js';

let folder: Awaited<ReturnType<typeof temporaryFolder>>;

beforeEach(async () => {
  folder = await temporaryFolder('digest');
});

afterEach(async () => {
  await folder.remove();
});

function sha256(data: string | Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

describe('digestFile', () => {
  it('hashes the file bytes', async () => {
    await writeTree(folder.path, { a: 'hello\n' });
    const path = join(folder.path, 'a');
    const result = await digestFile(path, await lstat(path, { bigint: true }));
    expect(result).toMatchObject({ digest: sha256('hello\n') });
  });

  it('reads a file larger than the buffer', async () => {
    const content = Buffer.alloc(300_000, 7);
    await writeFile(join(folder.path, 'big'), content);
    const path = join(folder.path, 'big');
    const result = await digestFile(path, await lstat(path, { bigint: true }), Buffer.alloc(4096));
    expect(result).toMatchObject({ digest: sha256(content) });
  });

  it('reports a file that changed since its lstat', async () => {
    await writeTree(folder.path, { a: 'one' });
    const path = join(folder.path, 'a');
    const before = await lstat(path, { bigint: true });
    await writeFile(path, 'three');
    const result = await digestFile(path, before);
    expect(result).toMatchObject({ changed: true, digest: sha256('three') });
  });

  it('reports a file replaced by a symlink', async () => {
    await writeTree(folder.path, { a: 'one', target: 'secret' });
    const path = join(folder.path, 'a');
    const before = await lstat(path, { bigint: true });
    await rm(path);
    await symlink('target', path);
    const result = await digestFile(path, before);
    expect(result).toMatchObject({ changed: true });
  });

  it('reports a deleted file', async () => {
    await writeTree(folder.path, { a: 'one' });
    const path = join(folder.path, 'a');
    const before = await lstat(path, { bigint: true });
    await rm(path);
    expect(await digestFile(path, before)).toEqual({ changed: true, stats: undefined });
  });
});

describe('digestSymlink', () => {
  it('hashes the target text', async () => {
    await writeTree(folder.path, { link: { link: '../../etc/passwd' } });
    const path = join(folder.path, 'link');
    const result = await digestSymlink(path, await lstat(path, { bigint: true }));
    expect(result).toMatchObject({
      digest: sha256('../../etc/passwd'),
      linkTarget: '../../etc/passwd',
    });
  });
});

describe('sameStats', () => {
  it('sees a mode change', async () => {
    await writeTree(folder.path, { a: 'one' });
    const path = join(folder.path, 'a');
    const before = await lstat(path, { bigint: true });
    await chmod(path, 0o755);
    expect(sameStats(before, await lstat(path, { bigint: true }))).toBe(false);
  });
});
