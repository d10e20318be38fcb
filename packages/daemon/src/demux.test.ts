import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { demultiplex, FrameDecoder, type OutputChunk } from './demux.js';
import { EngineError } from './errors.js';

function frame(type: number, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header.writeUInt8(type, 0);
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

function texts(chunks: OutputChunk[]): string[] {
  return chunks.map((chunk) => `${chunk.stream}:${chunk.data.toString()}`);
}

async function collect(parts: Buffer[]): Promise<OutputChunk[]> {
  const chunks: OutputChunk[] = [];
  for await (const chunk of demultiplex(Readable.from(parts))) {
    chunks.push(chunk);
  }
  return chunks;
}

describe('FrameDecoder', () => {
  const stream = Buffer.concat([frame(1, 'hello\n'), frame(2, 'oops\n'), frame(1, 'bye\n')]);

  test('frames in one chunk', () => {
    const decoder = new FrameDecoder();
    expect(texts(decoder.push(stream))).toEqual([
      'stdout:hello\n',
      'stderr:oops\n',
      'stdout:bye\n',
    ]);
  });

  test('split at every byte offset', async () => {
    for (let cut = 1; cut < stream.length; cut++) {
      const chunks = await collect([stream.subarray(0, cut), stream.subarray(cut)]);
      expect(texts(chunks), `cut at ${cut}`).toEqual([
        'stdout:hello\n',
        'stderr:oops\n',
        'stdout:bye\n',
      ]);
    }
  });

  test('one byte per chunk', async () => {
    const bytes = [...stream].map((byte) => Buffer.from([byte]));
    expect(texts(await collect(bytes))).toEqual([
      'stdout:hello\n',
      'stderr:oops\n',
      'stdout:bye\n',
    ]);
  });

  test('empty frame', () => {
    const decoder = new FrameDecoder();
    expect(texts(decoder.push(frame(1, '')))).toEqual(['stdout:']);
  });

  test('stream cut inside a frame', async () => {
    const cut = frame(1, 'hello').subarray(0, 10);
    await expect(collect([cut])).rejects.toThrow(/ended inside a frame \(10 bytes left\)/);
  });

  test('system error frame', () => {
    const decoder = new FrameDecoder();
    expect(() => decoder.push(frame(3, 'exec failed'))).toThrow(EngineError);
    expect(() => new FrameDecoder().push(frame(3, 'exec failed'))).toThrow(/exec failed/);
  });

  test('unknown stream type', () => {
    expect(() => new FrameDecoder().push(frame(9, 'x'))).toThrow(/unknown stream type 9/);
  });
});
