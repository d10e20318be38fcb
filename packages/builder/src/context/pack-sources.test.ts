import { chmod, link, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ContextEntry } from '@gantry/cache';
import { extract, type Header } from 'tar-stream';
import { afterEach, describe, expect, it } from 'vitest';
import { packEntries } from './pack-sources.js';

const folders: string[] = [];

afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

/** Writes one context file with the given mode and returns its folder and entry. */
async function contextFile(mode: number): Promise<{ folder: string; entry: ContextEntry }> {
  const folder = await mkdtemp(join(tmpdir(), 'gantry-pack-sources-'));
  folders.push(folder);
  await writeFile(join(folder, 'a.txt'), 'alpha');
  await chmod(join(folder, 'a.txt'), mode);
  return { folder, entry: { path: 'a.txt', type: 'file', mode, size: 5, digest: '' } };
}

async function headersOf(archive: Readable): Promise<Header[]> {
  const headers: Header[] = [];
  const reader = extract();
  reader.on('entry', (header, stream, next) => {
    headers.push(header);
    stream.resume();
    stream.on('end', next);
  });
  await pipeline(archive, reader as unknown as NodeJS.WritableStream);
  return headers;
}

describe('packEntries', () => {
  it('keeps mode 000 of a file', async () => {
    const { folder, entry } = await contextFile(0);
    const archive = packEntries(folder, [{ entry, target: '/x/a.txt' }], { uid: 0, gid: 0 });
    const [header] = await headersOf(archive);
    expect(header?.mode).toBe(0);
  });

  it('writes owner ids over 262143 in PAX records', async () => {
    const { folder, entry } = await contextFile(0o644);
    const owner = { uid: 2097152, gid: 2097151 };
    const newFolders = [{ path: '/x', ...owner }];
    const archive = packEntries(folder, [{ entry, target: '/x/a.txt' }], owner, newFolders);
    const headers = await headersOf(archive);
    expect(headers.map((header) => header.name)).toEqual(['x/', 'x/a.txt']);
    expect(headers[0]?.pax).toMatchObject({ uid: '2097152', gid: '2097151' });
    expect(headers[1]?.pax).toMatchObject({ uid: '2097152', gid: '2097151' });
  });

  it('clears setuid and setgid of a file', async () => {
    const { folder, entry } = await contextFile(0o6755);
    const archive = packEntries(folder, [{ entry, target: '/a.txt' }], { uid: 0, gid: 0 });
    const [header] = await headersOf(archive);
    expect(header?.mode).toBe(0o755);
  });

  it('writes hard links within one folder source', async () => {
    const { folder, entry } = await contextFile(0o644);
    await mkdir(join(folder, 'sub'));
    await link(join(folder, 'a.txt'), join(folder, 'sub', 'b.txt'));
    const linked = { ...entry, path: 'sub/b.txt' };
    const entries = [
      { entry, target: '/d/a.txt', folderSource: 0 },
      { entry: linked, target: '/d/sub/b.txt', folderSource: 0 },
      { entry: linked, target: '/e/b.txt', folderSource: 1 },
      { entry: linked, target: '/f.txt' },
    ];
    const headers = await headersOf(packEntries(folder, entries, { uid: 0, gid: 0 }));
    expect(headers.map((header) => header.type)).toEqual(['file', 'link', 'file', 'file']);
    expect(headers[1]?.linkname).toBe('d/a.txt');
  });
});
