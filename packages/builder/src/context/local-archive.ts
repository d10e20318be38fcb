/** ADD's auto-extraction of local tar archives, plain or gzip-compressed. */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { rewriteArchive } from './rewrite-archive.js';

/** Compression of a local archive, or `none` for a plain tar. */
export type ArchiveCompression = 'none' | 'gzip' | 'bzip2' | 'xz';

const TAR_BLOCK = 512;

/**
 * Returns how a context file is compressed when it is a tar archive that ADD
 * extracts (detected by content, as the engine does), or undefined.
 */
export async function archiveCompression(
  contextDir: string,
  path: string,
): Promise<ArchiveCompression | undefined> {
  const file = join(contextDir, path);
  const head = await readHead(file);
  if (head[0] === 0x1f && head[1] === 0x8b) {
    return isTarHeader(await gunzippedHead(file)) ? 'gzip' : undefined;
  }
  if (head.subarray(0, 3).toString('latin1') === 'BZh') return 'bzip2';
  if (head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'xz';
  return isTarHeader(head) ? 'none' : undefined;
}

async function readHead(path: string): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(TAR_BLOCK);
    const { bytesRead } = await file.read(head, 0, TAR_BLOCK, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/** Returns the first tar block of a gzip file's content, or less when it is shorter or corrupt. */
async function gunzippedHead(path: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of createReadStream(path).pipe(createGunzip())) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= TAR_BLOCK) break;
    }
  } catch {
    // A corrupt gzip stream is no archive; the engine copies such a file as it is.
  }
  return Buffer.concat(chunks);
}

/** Checks that a block is a tar header: its checksum field matches the sum of its bytes. */
function isTarHeader(block: Buffer): boolean {
  if (block.length < TAR_BLOCK) return false;
  const field = block
    .subarray(148, 156)
    .toString('latin1')
    .replace(/[\0 ]+$/, '')
    .trim();
  if (!/^[0-7]+$/.test(field)) return false;
  let sum = 0;
  for (let index = 0; index < TAR_BLOCK; index++) {
    sum += index >= 148 && index < 156 ? 0x20 : (block[index] ?? 0);
  }
  return sum === Number.parseInt(field, 8);
}

/**
 * Streams a local archive's entries re-rooted under `destination` (a folder),
 * keeping their owners and modes as the engine's extraction does.
 */
export function extractedArchive(
  contextDir: string,
  path: string,
  compression: 'none' | 'gzip',
  destination: string,
): Readable {
  const file = createReadStream(join(contextDir, path));
  const tar = compression === 'gzip' ? file.pipe(createGunzip()) : file;
  const folder = destination.replace(/\/+$/, '') || '/';
  // The archive's own root entry would change the destination folder's owner; the engine keeps it.
  const rename = (name: string) =>
    posix.normalize(name) === '.' || posix.normalize(name) === './'
      ? undefined
      : posix.join(folder, name).slice(1) || undefined;
  return rewriteArchive(tar, rename, {});
}
