/** ADD's auto-extraction of local tar archives: plain, gzip, bzip2 or xz-compressed. */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Header } from 'tar-stream';
import { BuildError } from '../errors.js';
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
  const compression = compressionOf(head);
  const block = compression === 'none' ? head : await decompressedHead(file, compression);
  return isTarHeader(block) ? compression : undefined;
}

const XZ_MAGIC = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);

/** Returns the compression that a file's first bytes announce, as the engine detects it. */
function compressionOf(head: Buffer): ArchiveCompression {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.subarray(0, 3).toString('latin1') === 'BZh') return 'bzip2';
  if (head.subarray(0, 6).equals(XZ_MAGIC)) return 'xz';
  return 'none';
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

/** Returns the first tar block of a compressed file's content, or less when it is shorter or corrupt. */
async function decompressedHead(path: string, compression: ArchiveCompression): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const content = await decompressed(createReadStream(path), compression);
  try {
    for await (const chunk of content) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= TAR_BLOCK) break;
    }
  } catch {
    // A corrupt stream is no archive; the engine copies such a file as it is.
  } finally {
    content.destroy();
  }
  return Buffer.concat(chunks);
}

/**
 * Returns the decompressed content of a stream. The bzip2 and xz decoders
 * load on first use, because most builds never need them and the CLI's
 * start-up time counts.
 */
async function decompressed(input: Readable, compression: ArchiveCompression): Promise<Readable> {
  if (compression === 'gzip') return input.pipe(createGunzip());
  if (compression === 'bzip2') {
    const { default: unbzip2 } = await import('unbzip2-stream');
    // unbzip2-stream returns a classic `through` stream; a PassThrough makes it async-iterable.
    const output = new PassThrough();
    const decoder = unbzip2();
    decoder.on('error', (error: Error) => output.destroy(error));
    input.pipe(decoder).pipe(output);
    return output;
  }
  if (compression === 'xz') {
    const { default: xzDecompress } = await import('xz-decompress');
    const web = new xzDecompress.XzReadableStream(Readable.toWeb(input) as ReadableStream);
    return Readable.fromWeb(web as import('node:stream/web').ReadableStream);
  }
  return input;
}

/**
 * Checks that a block is a tar header: its checksum field (bytes 148 to 155,
 * octal) equals the sum of the block's 512 bytes with that field read as spaces.
 */
export function isTarHeader(block: Buffer): boolean {
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
 *
 * @throws BuildError `ERR_COPY_SOURCE`, through the stream, for a sparse file
 *   or an entry type that the engine does not extract.
 */
export async function extractedArchive(
  contextDir: string,
  path: string,
  compression: ArchiveCompression,
  destination: string,
): Promise<Readable> {
  const tar = await decompressed(createReadStream(join(contextDir, path)), compression);
  const folder = destination.replace(/\/+$/, '') || '/';
  // The archive's own root entry would change the destination folder's owner; the engine keeps it.
  const rename = (name: string, _type?: string, header?: Header) => {
    if (header !== undefined) rejectUnextractable(path, header);
    return posix.normalize(name) === '.' || posix.normalize(name) === './'
      ? undefined
      : posix.join(folder, name).slice(1) || undefined;
  };
  return rewriteArchive(tar, rename, {});
}

/**
 * Throws for an entry that tar-stream cannot read as the engine would. A
 * GNU sparse file (type `S`) or a GNU volume, multi-volume or dump-folder
 * entry has no tar-stream type, and the classic builder fails on it with
 * `unhandled tar header type`. A sparse file in PAX records would be written
 * with its sparse map as content.
 * NOTE: the classic builder (Engine 20.10) extracts a PAX sparse file, so
 * gantry fails on it where the classic builder succeeds.
 */
function rejectUnextractable(archive: string, header: Header): void {
  const records = (header.pax ?? {}) as Record<string, string>;
  const sparse = Object.keys(records).some((key) => key.startsWith('GNU.sparse.'));
  if (header.type !== null && !sparse) return;
  const kind = sparse
    ? 'a sparse file'
    : 'a GNU sparse file or another entry type that the engine does not extract';
  throw new BuildError(
    'ERR_COPY_SOURCE',
    `cannot extract ${archive}: ${records['GNU.sparse.name'] ?? header.name} is ${kind}; create the archive without --sparse (GNU tar -S) or extract it in a RUN step`,
  );
}
