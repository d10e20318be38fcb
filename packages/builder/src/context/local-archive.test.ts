import { execFile } from 'node:child_process';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { extractedArchive } from './local-archive.js';

const run = promisify(execFile);
const folders: string[] = [];

afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

/** Writes a 1 MiB sparse file with one byte of data and packs it with GNU tar's `tarFlags`. */
async function sparseArchive(tarFlags: string[]): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'gantry-local-archive-'));
  folders.push(folder);
  await writeFile(join(folder, 'holes'), 'x');
  await truncate(join(folder, 'holes'), 1024 * 1024);
  await run('tar', [...tarFlags, '-cf', join(folder, 'sparse.tar'), '-C', folder, 'holes']);
  return folder;
}

describe('extractedArchive', () => {
  it.each([
    ['GNU format', ['--format=gnu', '-S']],
    ['PAX format', ['--format=pax', '-S']],
  ])('rejects a sparse file in %s', async (_format, tarFlags) => {
    const folder = await sparseArchive(tarFlags);
    const archive = await extractedArchive(folder, 'sparse.tar', 'none', '/out/');
    await expect(buffer(archive)).rejects.toMatchObject({
      code: 'ERR_COPY_SOURCE',
      message: expect.stringMatching(/holes is (a|a GNU) sparse file/),
    });
  });

  it('extracts a file packed without --sparse', async () => {
    const folder = await sparseArchive(['--format=gnu']);
    const archive = await extractedArchive(folder, 'sparse.tar', 'none', '/out/');
    expect((await buffer(archive)).length).toBeGreaterThan(1024 * 1024);
  });
});
