import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { extract, type Header, pack } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { rewriteArchive } from './rewrite-archive.js';

async function tarOf(files: Record<string, string>): Promise<Buffer> {
  const archive = pack();
  for (const [name, text] of Object.entries(files)) archive.entry({ name }, text);
  archive.finalize();
  return buffer(archive);
}

const underDestination = (name: string) => `dest/${name}`;

/** Returns the checksum field of a tar header block, with the checksum counted as spaces. */
function checksumField(block: Buffer): string {
  let sum = 8 * 0x20;
  for (let index = 0; index < 512; index++) {
    if (index < 148 || index >= 156) sum += block[index] ?? 0;
  }
  return `${sum.toString(8).padStart(6, '0')}\0 `;
}

/** Reads the headers of an archive. */
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

describe('rewriteArchive', () => {
  it('renames entries and sets the owner', async () => {
    const input = Readable.from([await tarOf({ 'a.txt': 'alpha' })]);
    const output = rewriteArchive(input, underDestination, { owner: { uid: 7, gid: 8 } });
    const names: string[] = [];
    const owners: string[] = [];
    const reader = extract();
    reader.on('entry', (header, stream, next) => {
      names.push(header.name);
      owners.push(`${header.uid}:${header.gid}`);
      stream.resume();
      stream.on('end', next);
    });
    await pipeline(output, reader as unknown as NodeJS.WritableStream);
    expect(names).toEqual(['dest/a.txt']);
    expect(owners).toEqual(['7:8']);
  });

  it('renames long and non-ASCII PAX names', async () => {
    const long = `${'folder/'.repeat(20)}file.txt`;
    const input = Readable.from([await tarOf({ [long]: 'long', 'héllo.txt': 'hello' })]);
    const output = rewriteArchive(input, underDestination, {});
    expect((await headersOf(output)).map((header) => header.name)).toEqual([
      `dest/${long}`,
      'dest/héllo.txt',
    ]);
  });

  it('sets the --chown owner over an owner kept in a PAX record', async () => {
    const archive = pack();
    archive.entry({ name: 'big-owner', pax: { uid: '3000001', gid: '3000001' } }, 'text');
    archive.finalize();
    const input = Readable.from([await buffer(archive)]);
    const output = rewriteArchive(input, underDestination, { owner: { uid: 5, gid: 5 } });
    const [header] = await headersOf(output);
    expect((header?.pax as Record<string, string> | undefined)?.uid).toBeUndefined();
    expect(`${header?.uid}:${header?.gid}`).toBe('5:5');
  });

  it('keeps an owner kept in a PAX record without --chown', async () => {
    const archive = pack();
    archive.entry({ name: 'big-owner', pax: { uid: '3000001', gid: '3000001' } }, 'text');
    archive.finalize();
    const input = Readable.from([await buffer(archive)]);
    const [header] = await headersOf(rewriteArchive(input, underDestination, {}));
    expect(header?.pax).toMatchObject({ uid: '3000001', gid: '3000001' });
  });

  it('keeps mode 000 of an entry', async () => {
    const archive = pack();
    archive.entry({ name: 'locked', mode: 0o100000 }, 'text');
    archive.finalize();
    const input = Readable.from([await buffer(archive)]);
    const [header] = await headersOf(rewriteArchive(input, underDestination, {}));
    expect(header?.mode).toBe(0);
  });

  it('writes a --chown id over 262143 in PAX records', async () => {
    const input = Readable.from([await tarOf({ 'a.txt': 'alpha' })]);
    const owner = { uid: 2097152, gid: 262144 };
    const [header] = await headersOf(rewriteArchive(input, underDestination, { owner }));
    expect(header?.pax).toMatchObject({ uid: '2097152', gid: '262144' });
  });

  it('writes a kept id of 2097151 in a PAX record', async () => {
    const archive = pack();
    archive.entry({ name: 'big-owner', uid: 0o777777, gid: 0o777777 }, 'text');
    archive.finalize();
    const raw = await buffer(archive);
    // tar-stream writes 262143 at most, but it reads all 8 bytes, where 2097151 fits.
    raw.write('7777777\0', 108, 'latin1');
    raw.write('7777777\0', 116, 'latin1');
    raw.write(checksumField(raw), 148, 'latin1');
    const [header] = await headersOf(rewriteArchive(Readable.from([raw]), underDestination, {}));
    expect(header?.pax).toMatchObject({ uid: '2097151', gid: '2097151' });
  });

  it('clears setuid and setgid with --chown', async () => {
    const archive = pack();
    archive.entry({ name: 'run', mode: 0o6755 }, 'text');
    archive.entry({ name: 'locking', mode: 0o2644 }, 'text');
    archive.entry({ name: 'shared', type: 'directory', mode: 0o2755 });
    archive.finalize();
    const raw = await buffer(archive);
    const owned = rewriteArchive(Readable.from([raw]), underDestination, {
      owner: { uid: 5, gid: 6 },
    });
    expect((await headersOf(owned)).map((header) => header.mode)).toEqual([0o755, 0o2644, 0o2755]);
    const kept = rewriteArchive(Readable.from([raw]), underDestination, {});
    expect((await headersOf(kept)).map((header) => header.mode)).toEqual([0o6755, 0o2644, 0o2755]);
  });

  it('failed input mid-entry rejects output', async () => {
    // The cut keeps the header and 4 KiB of a 64 KiB file, so the failure
    // lands while that entry is being written to the output.
    const archive = await tarOf({ big: 'x'.repeat(64 * 1024) });
    const input = new Readable({ read() {} });
    input.push(archive.subarray(0, 512 + 4096));
    const output = rewriteArchive(input, underDestination, {});
    const read = buffer(output);
    await nextTurn();
    await nextTurn();
    const reason = new Error('the build was aborted');
    input.destroy(reason);
    await expect(read).rejects.toBe(reason);
  });
});
