import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pack } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { TarEnd } from './tar-end.js';

async function tarOf(files: Record<string, string>): Promise<Buffer> {
  const archive = pack();
  for (const [name, text] of Object.entries(files)) archive.entry({ name }, text);
  archive.finalize();
  return buffer(archive);
}

async function pass(bytes: Buffer, chunkSize = 7): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += chunkSize) {
    chunks.push(bytes.subarray(start, start + chunkSize));
  }
  return buffer(Readable.from(chunks).pipe(new TarEnd()));
}

describe('TarEnd', () => {
  it('adds padding and end blocks after the last data', async () => {
    const archive = await tarOf({ a: 'x'.repeat(600), b: 'hello' });
    // Cut after b's 5 bytes of data, as the docker CLI sends a `-f -` context:
    // a's header and 2 data blocks, then b's header at 1536 and its data at 2048.
    const cut = archive.subarray(0, 2048 + 5);
    const closed = await pass(cut);
    expect(closed.length).toBe(2560 + 1024);
    expect(closed.subarray(0, cut.length).equals(cut)).toBe(true);
    expect(closed.subarray(cut.length).every((byte) => byte === 0)).toBe(true);
  });

  it('leaves a stream cut inside data as it is', async () => {
    const archive = await tarOf({ a: 'x'.repeat(600) });
    const cut = archive.subarray(0, 512 + 100);
    expect((await pass(cut)).equals(cut)).toBe(true);
  });

  it('leaves a stream cut inside a header as it is', async () => {
    const archive = await tarOf({ a: 'x', b: 'y' });
    const cut = archive.subarray(0, 1024 + 100);
    expect((await pass(cut)).equals(cut)).toBe(true);
  });

  it('a complete archive only gains zero blocks', async () => {
    const archive = await tarOf({ a: 'abc' });
    const closed = await pass(archive, 512);
    expect(closed.length).toBe(archive.length + 1024);
  });

  it('empty stream stays empty', async () => {
    expect((await pass(Buffer.alloc(0))).length).toBe(0);
  });
});
