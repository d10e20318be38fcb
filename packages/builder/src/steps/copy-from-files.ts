/**
 * The files a `COPY --from` reads from its source image, as cache-key
 * inputs. They make a second key that rests on the files rather than on the
 * image id, so a source stage rebuilt with the same files still hits, as it
 * does in the classic builder, which hashes the files it copies.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EntryType, FileInput } from '@gantry/cache';
import { extract, type Header } from 'tar-stream';
import { cleanSource, globToRegExp, isPattern } from '../context/match-sources.js';
import type { BuildSession } from '../session.js';
import { resolvePath } from './create-folder.js';
import { KEPT_ARCHIVE_BYTES, type SourceContainer } from './source-container.js';

/** The files a `COPY --from` reads, and the kind of source its history line names. */
export interface SourceFiles {
  readonly files: readonly FileInput[];
  /** `file` or `dir` for one source that is one entry, else `multi`, as the classic builder writes. */
  readonly kind: 'file' | 'dir' | 'multi';
}

/**
 * Reads every entry below each source in the source image, with its content
 * digest, mode and owner. A wildcard source reads the whole folder above its
 * first wildcard part, which is more than it copies, so a change beside the
 * matches is a miss too, never a wrong hit. Returns undefined when a source
 * is missing, so that the copy itself reports it.
 */
export async function sourceFilesOf(
  session: BuildSession,
  source: SourceContainer,
  sources: readonly string[],
): Promise<SourceFiles | undefined> {
  const { engine, signal } = session;
  const sourceId = await source.id();
  const files = new Map<string, FileInput>();
  const tops: FileInput[] = [];
  for (const written of sources) {
    const path = await readPath(session, sourceId, written);
    if (path === undefined) return undefined;
    const archive = await engine.archives.get(sourceId, { path, signal });
    // The archive is kept for the copy only up to the limit, so a large source is not held in memory.
    let chunks: Buffer[] | undefined = [];
    let size = 0;
    archive.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > KEPT_ARCHIVE_BYTES) chunks = undefined;
      else chunks?.push(chunk);
    });
    const read = await listArchive(archive, posix.dirname(path), files).catch((error: unknown) => {
      // An abort destroys the engine's stream with Node's AbortError, and the
      // build rejects with the signal's reason instead.
      throw signal.aborted ? signal.reason : error;
    });
    if (chunks !== undefined) source.keep(path, chunks);
    tops.push(...topEntries(written, path, read));
  }
  return { files: [...files.values()], kind: kindOf(tops) };
}

/** Returns the path whose archive contains a source: the folder above a wildcard, or the source with links followed. */
async function readPath(
  session: BuildSession,
  containerId: string,
  written: string,
): Promise<string | undefined> {
  const absolute = posix.resolve('/', written);
  if (isPattern(written)) {
    const parts = cleanSource(absolute).split('/');
    const fixed = parts.findIndex((part) => isPattern(part));
    const base = `/${parts.slice(0, fixed).join('/')}`;
    const { kind } = await resolvePath(session, containerId, base);
    return kind === 'missing' ? undefined : base;
  }
  const { kind, path } = await resolvePath(session, containerId, absolute);
  return kind === 'missing' ? undefined : path;
}

function kindOf(tops: readonly FileInput[]): SourceFiles['kind'] {
  const [top] = tops;
  if (tops.length !== 1 || top === undefined) return 'multi';
  return top.type === 'dir' ? 'dir' : 'file';
}

/** Returns the entries a source names: the matches of a wildcard, else the entry at its path. */
function topEntries(written: string, path: string, read: readonly FileInput[]): FileInput[] {
  if (!isPattern(written)) return read.filter((file) => file.path === cleanSource(path));
  const pattern = globToRegExp(cleanSource(posix.resolve('/', written)));
  return read.filter((file) => pattern.test(file.path));
}

/**
 * Adds the entries of the engine's archive of a path to `files`, by their
 * path from `/` of the image, and returns them. An entry read twice, by two
 * sources, counts once.
 */
async function listArchive(
  archive: Readable,
  folder: string,
  files: Map<string, FileInput>,
): Promise<FileInput[]> {
  const read: FileInput[] = [];
  const reader = extract();
  reader.on('entry', (header, stream, next) => {
    const path = posix.join(folder, header.name).replace(/^\/+|\/+$/g, '');
    const hash = createHash('sha256');
    stream.on('data', (chunk: unknown) => void hash.update(chunk as Buffer));
    stream.on('end', () => {
      const file = fileInputOf(path, header, hash.digest('hex'));
      if (!files.has(path)) files.set(path, file);
      read.push(file);
      next();
    });
  });
  await pipeline(archive, reader as unknown as NodeJS.WritableStream);
  return read;
}

function fileInputOf(path: string, header: Header, contentHex: string): FileInput {
  const type = entryTypeOf(header.type);
  const linkHex = createHash('sha256')
    .update(header.linkname ?? '')
    .digest('hex');
  // A hard link's target name decides its content, as a symbolic link's does.
  const other = header.linkname ? `sha256:${linkHex}` : '';
  const digest = { file: `sha256:${contentHex}`, symlink: `sha256:${linkHex}`, dir: '', other };
  return {
    path,
    type,
    mode: (header.mode ?? 0) & 0o7777,
    digest: digest[type],
    owner: `${header.uid ?? 0}:${header.gid ?? 0}`,
  };
}

/** Maps a tar type to the cache's entry type; a hard link counts as `other`, its target as a file. */
function entryTypeOf(type: Header['type']): EntryType {
  if (type === 'file' || type === 'contiguous-file' || type === undefined || type === null) {
    return 'file';
  }
  if (type === 'directory') return 'dir';
  if (type === 'symlink') return 'symlink';
  return 'other';
}
