/** Completing a tar stream that ends right after its last file's data. */
import { Transform, type TransformCallback } from 'node:stream';

const BLOCK = 512;

/**
 * Passes a tar stream through, and at its end adds the padding and the two
 * zero blocks that close an archive when the stream stops right after the
 * last entry's data. The docker CLI 20.10 sends such a context for `-f -`,
 * and the engine reads it. A stream that stops inside a header or inside an
 * entry's data is left as it is, so the tar reader reports it as truncated.
 */
export class TarEnd extends Transform {
  /** Bytes passed so far. */
  #offset = 0;
  /** Offset of the next header block. */
  #nextHeader = 0;
  /** Offset where the current entry's data ends, before its padding. */
  #dataEnd = 0;
  #header: Buffer = Buffer.alloc(0);

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    let position = 0;
    while (position < chunk.length) {
      const absolute = this.#offset + position;
      if (absolute < this.#nextHeader) {
        position += Math.min(chunk.length - position, this.#nextHeader - absolute);
        continue;
      }
      const take = chunk.subarray(position, position + BLOCK - this.#header.length);
      this.#header = Buffer.concat([this.#header, take]);
      position += take.length;
      if (this.#header.length === BLOCK) this.#readHeader();
    }
    this.#offset += chunk.length;
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback) {
    const complete = this.#header.length === 0 && this.#offset >= this.#dataEnd;
    if (!complete || this.#offset === 0) {
      callback();
      return;
    }
    const padding = (BLOCK - (this.#offset % BLOCK)) % BLOCK;
    // tar-stream 3 reads zero blocks after an archive's own end as more end blocks.
    callback(null, Buffer.alloc(padding + 2 * BLOCK));
  }

  #readHeader(): void {
    const size = entrySize(this.#header);
    const dataStart = this.#nextHeader + BLOCK;
    this.#dataEnd = dataStart + size;
    this.#nextHeader = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    this.#header = Buffer.alloc(0);
  }
}

/** Reads a header's size field: octal text, or base-256 when its first bit is set. */
function entrySize(header: Buffer): number {
  const field = header.subarray(124, 136);
  if (((field[0] ?? 0) & 0x80) !== 0) {
    let size = 0;
    for (const byte of field.subarray(1)) size = size * 256 + byte;
    return size;
  }
  const text = field.toString('latin1').replace(/[\0 ]+/g, '');
  return text === '' ? 0 : Number.parseInt(text, 8);
}
