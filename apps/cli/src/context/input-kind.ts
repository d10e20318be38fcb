/** Telling a tar archive, a compressed one, and a Dockerfile apart by their first bytes. */
import type { Readable } from 'node:stream';
import { isTarHeader } from '@gantry/builder';

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
