import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { extract, pack } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { rewriteArchive } from './rewrite-archive.js';

async function tarOf(files: Record<string, string>): Promise<Buffer> {
  const archive = pack();
  for (const [name, text] of Object.entries(files)) archive.entry({ name }, text);
  archive.finalize();
  return buffer(archive);
}

const underDestination = (name: string) => `dest/${name}`;

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
