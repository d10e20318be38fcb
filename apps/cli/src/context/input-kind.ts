/** Telling a tar archive, a compressed one, and a Dockerfile apart by their first bytes. */
import type { Readable } from 'node:stream';

/** Bytes needed to check a tar header. */
export const HEAD_BYTES = 512;

/** The kind of archive standard input holds. */
export type ArchiveKind = 'tar' | 'gzip' | 'bzip2' | 'xz';

/**
 * Returns the archive kind of input that starts with `head`, or undefined
 * for anything else (a Dockerfile), as the docker CLI decides: a compression
 * magic number, or a tar header whose checksum is valid.
 */
export function archiveKind(head: Buffer): ArchiveKind | undefined {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.subarray(0, 3).toString('latin1') === 'BZh') return 'bzip2';
  if (head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'xz';
  return isTarHeader(head) ? 'tar' : undefined;
}

/**
 * Returns whether the block is a tar header: its checksum field (bytes 148
 * to 155, octal) equals the sum of the block's bytes with that field read as
 * spaces.
 */
function isTarHeader(block: Buffer): boolean {
  if (block.length < HEAD_BYTES) return false;
  const field = block
    .subarray(148, 156)
    .toString('latin1')
    .replace(/[\0 ]+$/, '')
    .trim();
  if (!/^[0-7]+$/.test(field)) return false;
  let sum = 0;
  for (let index = 0; index < HEAD_BYTES; index++) {
    sum += index >= 148 && index < 156 ? 0x20 : (block[index] ?? 0);
  }
  return sum === Number.parseInt(field, 8);
}

/**
 * Reads at least `bytes` bytes of the stream (fewer at its end); returns
 * them and an iterator over the rest.
 */
export async function readHead(
  stream: Readable,
  bytes: number,
): Promise<{ head: Buffer; rest: AsyncIterable<Buffer> }> {
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let length = 0;
  while (length < bytes) {
    const next = await iterator.next();
    if (next.done === true) break;
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    chunks.push(chunk);
    length += chunk.length;
  }
  const rest = { [Symbol.asyncIterator]: () => iterator };
  return { head: Buffer.concat(chunks), rest };
}
