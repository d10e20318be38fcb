/**
 * Content digests of single context entries. A file is read through one
 * reused buffer, so memory does not grow with its size, and a file that
 * changes while it is read is detected by comparing `lstat` before and after.
 */
import { createHash } from 'node:crypto';
import { type BigIntStats, constants } from 'node:fs';
import { lstat, open, readlink } from 'node:fs/promises';
import { ContextError } from '../errors.js';

/** The result of digesting one entry. */
export interface EntryDigest {
  /** `sha256:<hex>`. */
  readonly digest: string;
  /** `lstat` after the read; equal to the `before` stats it was read with. */
  readonly stats: BigIntStats;
  /** Target text of a symlink. */
  readonly linkTarget?: string;
}

/** A read that saw the entry change under it. */
export interface ChangedDuringRead {
  readonly changed: true;
  /** `lstat` after the read, to retry with; undefined when the entry is gone. */
  readonly stats: BigIntStats | undefined;
  /** Digest of the bytes that were read, when the read got that far. */
  readonly digest?: string;
}

/** Bytes read at once from a file. */
const READ_SIZE = 256 * 1024;

/**
 * Digests a regular file: SHA-256 of its bytes, read without following a
 * symlink that replaced it. Returns `changed` when the `lstat` after the read
 * differs from `before` or the byte count differs from its size.
 */
export async function digestFile(
  absolutePath: string,
  before: BigIntStats,
  buffer: Buffer = Buffer.allocUnsafe(READ_SIZE),
): Promise<EntryDigest | ChangedDuringRead> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(
      absolutePath,
      constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK,
    );
  } catch (error) {
    return changedOrThrow(absolutePath, error);
  }
  const hash = createHash('sha256');
  let total = 0n;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) {
        break;
      }
      hash.update(buffer.subarray(0, bytesRead));
      total += BigInt(bytesRead);
      // A short read at the expected size is the end of the file; growth after
      // it shows in the lstat below. This saves a read call per small file.
      if (bytesRead < buffer.length && total === before.size) {
        break;
      }
    }
  } finally {
    await handle.close();
  }
  const after = await lstatOrUndefined(absolutePath);
  const digest = `sha256:${hash.digest('hex')}`;
  if (after === undefined || !sameStats(before, after) || total !== after.size) {
    return { changed: true, stats: after, digest };
  }
  return { digest, stats: after };
}

/** Digests a symlink as a link: SHA-256 of its target text, never followed. */
export async function digestSymlink(
  absolutePath: string,
  before: BigIntStats,
): Promise<EntryDigest | ChangedDuringRead> {
  let target: Buffer;
  try {
    target = await readlink(absolutePath, { encoding: 'buffer' });
  } catch (error) {
    return changedOrThrow(absolutePath, error);
  }
  const after = await lstatOrUndefined(absolutePath);
  if (after === undefined || !sameStats(before, after)) {
    return { changed: true, stats: after };
  }
  const digest = `sha256:${createHash('sha256').update(target).digest('hex')}`;
  return { digest, stats: after, linkTarget: target.toString('utf8') };
}

/**
 * Returns whether two `lstat` results describe the same unchanged entry:
 * same inode, device, mode, size, and modification and change times in ns.
 */
export function sameStats(a: BigIntStats, b: BigIntStats): boolean {
  return (
    a.ino === b.ino &&
    a.dev === b.dev &&
    a.mode === b.mode &&
    a.size === b.size &&
    a.mtimeNs === b.mtimeNs &&
    a.ctimeNs === b.ctimeNs
  );
}

async function lstatOrUndefined(path: string): Promise<BigIntStats | undefined> {
  try {
    return await lstat(path, { bigint: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
}

/** ENOENT and ELOOP (replaced by a symlink) mean the entry changed; other errors are fatal. */
async function changedOrThrow(absolutePath: string, error: unknown): Promise<ChangedDuringRead> {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ELOOP') {
    return { changed: true, stats: await lstatOrUndefined(absolutePath) };
  }
  throw new ContextError(
    'CONTEXT_UNREADABLE',
    absolutePath,
    `Cannot read ${JSON.stringify(absolutePath)} in the build context (${code ?? 'error'}); ` +
      'fix its permissions or exclude it in .dockerignore.',
    { cause: error },
  );
}
