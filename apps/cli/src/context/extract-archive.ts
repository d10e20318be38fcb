/** Extracting a build context archive into a folder, keeping every entry inside it. */
import { createWriteStream } from 'node:fs';
import { chmod, link, lstat, mkdir, rm, symlink, utimes } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract, type Header } from 'tar-stream';
import { UsageError } from '../usage-error.js';

/** Options of {@link extractArchive}. */
export interface ExtractOptions {
  /** The empty folder to extract into. */
  readonly folder: string;
  /** Whether the archive is gzip-compressed. */
  readonly gzip: boolean;
}

/**
 * Extracts a tar archive into the folder: files with their modes and
 * modification times, folders, symbolic links and hard links. Device files
 * and FIFOs are left out. Returns the bytes read from `archive`.
 *
 * @throws UsageError for an entry whose path leaves the folder (`../x`, a
 * path below a symbolic link of the archive, or a hard link to such a path),
 * naming the entry.
 */
export async function extractArchive(archive: Readable, options: ExtractOptions): Promise<number> {
  let size = 0;
  const counter = new PassThrough();
  counter.on('data', (chunk: Buffer) => {
    size += chunk.length;
  });
  const entries = extract();
  const reader = entries as unknown as NodeJS.WritableStream;
  // tar-stream's extractor is a streamx stream, which Node's pipeline accepts as a writable.
  const feeding = options.gzip
    ? pipeline(archive, counter, createGunzip(), reader)
    : pipeline(archive, counter, reader);
  feeding.catch((error: unknown) => entries.destroy(error as Error));
  for await (const entry of entries) {
    await writeEntry(options.folder, entry.header, entry);
  }
  await feeding;
  return size;
}

/** An entry's content: tar-stream's streamx readable. */
interface EntryBody extends AsyncIterable<unknown> {
  resume(): unknown;
}

async function writeEntry(folder: string, header: Header, body: EntryBody): Promise<void> {
  const path = insidePath(folder, header.name);
  await rejectLinkedParents(folder, path, header.name);
  await removeLink(path);
  if (path === folder || header.type === 'directory') {
    await mkdir(path, { recursive: true });
    if (path !== folder) await setTimes(path, header);
    body.resume();
    return;
  }
  await mkdir(dirname(path), { recursive: true });
  if (header.type === 'file' || header.type === 'contiguous-file') {
    await pipeline(
      body as AsyncIterable<Buffer>,
      createWriteStream(path, { mode: header.mode ?? 0o644 }),
    );
    await chmod(path, (header.mode ?? 0o644) & 0o7777);
    await setTimes(path, header);
    return;
  }
  body.resume();
  if (header.type === 'symlink') await symlink(header.linkname ?? '', path);
  else if (header.type === 'link') await hardLink(folder, header.linkname ?? '', path);
}

/** Links `path` to an earlier entry, which must be inside the folder and not below a symbolic link. */
async function hardLink(folder: string, linkname: string, path: string): Promise<void> {
  const target = insidePath(folder, linkname);
  await rejectLinkedParents(folder, target, linkname);
  await link(target, path);
}

/** Returns the entry's path inside the folder, or rejects a path that leaves it. */
function insidePath(folder: string, name: string): string {
  const path = join(folder, name.replace(/^\/+/, ''));
  const within = relative(folder, path);
  if (within === '..' || within.startsWith(`..${sep}`)) {
    throw new UsageError(
      `The build context archive has an entry outside its root: ${JSON.stringify(name)}; rebuild the archive with relative paths`,
      'build',
    );
  }
  return path;
}

/**
 * Rejects a path below a symbolic link that an earlier entry made, because
 * `dir/passwd` through `dir -> /etc` is outside the folder.
 */
async function rejectLinkedParents(folder: string, path: string, name: string): Promise<void> {
  let current = folder;
  for (const part of relative(folder, dirname(path)).split(sep)) {
    if (part === '') continue;
    current = join(current, part);
    const found = await lstat(current).catch(() => undefined);
    if (found === undefined) return;
    if (found.isSymbolicLink()) {
      throw new UsageError(
        `The build context archive reaches ${JSON.stringify(name)} through the symbolic link ${JSON.stringify(relative(folder, current))}; rebuild the archive without it`,
        'build',
      );
    }
  }
}

/** Removes a symbolic link an earlier entry left at the path, so that writing replaces it. */
async function removeLink(path: string): Promise<void> {
  const found = await lstat(path).catch(() => undefined);
  if (found?.isSymbolicLink() === true) await rm(path);
}

async function setTimes(path: string, header: Header): Promise<void> {
  if (header.mtime === undefined) return;
  const found = await lstat(path);
  if (!found.isSymbolicLink()) await utimes(path, header.mtime, header.mtime);
}
