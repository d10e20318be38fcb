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
import type { FileInput } from '@gantry/cache';
import { extract } from 'tar-stream';
import { cleanSource, globToRegExp, isPattern } from '../context/match-sources.js';
import { parentFolders, pathAfterPivot, pivotOf } from '../context/parent-paths.js';
import type { BuildSession } from '../session.js';
import { fileInputOf } from './copy-from-entry-input.js';
import { resolvePath } from './create-folder.js';
import { KEPT_ARCHIVE_BYTES, type SourceContainer } from './source-container.js';
import { readPathHeader } from './source-parent-folders.js';

/** The files a `COPY --from` reads, and the kind of source its history line names. */
export interface SourceFiles {
  readonly files: readonly FileInput[];
  /** `file` or `dir` for one source that is one entry, else `multi`, as the classic builder writes. */
  readonly kind: 'file' | 'dir' | 'multi';
}

/** The sources of a `COPY --from` whose files {@link sourceFilesOf} reads. */
export interface FilesRequest {
  /** The sources as written, after variable expansion. */
  readonly sources: readonly string[];
  /** `--parents`: the copy also writes the folders between each source's pivot and the source. */
  readonly parents: boolean;
}

/**
 * Reads every entry below each source in the source image, with its content
 * digest, mode and owner, and under `--parents` the folders above it that the
 * copy writes. A wildcard source reads the whole folder above its first
 * wildcard part, which is more than it copies, so a change beside the
 * matches is a miss too, never a wrong hit. A wildcard whose folder is
 * missing adds nothing, because the copy skips it. Returns undefined when a
 * source that is no wildcard is missing, so that the copy itself reports it.
 */
export async function sourceFilesOf(
  session: BuildSession,
  source: SourceContainer,
  request: FilesRequest,
): Promise<SourceFiles | undefined> {
  const sourceId = await source.id();
  const files = new Map<string, FileInput>();
  const tops: FileInput[] = [];
  for (const written of request.sources) {
    const path = await readPath(session, sourceId, written);
    if (path === undefined) {
      if (isPattern(written)) continue;
      return undefined;
    }
    const read = await readArchive(session, source, path, files);
    tops.push(...topEntries(written, path, read));
    if (request.parents) {
      const copied = isPattern(written) ? path : posix.resolve('/', written);
      await addParentFolders(session, sourceId, { written, copied }, files);
    }
  }
  return { files: [...files.values()], kind: kindOf(tops) };
}

/**
 * Adds the entries of the engine's archive of a path to `files` and returns
 * them, keeping the archive for the copy up to {@link KEPT_ARCHIVE_BYTES}, so
 * that a large source is not held in memory.
 */
async function readArchive(
  session: BuildSession,
  source: SourceContainer,
  path: string,
  files: Map<string, FileInput>,
): Promise<FileInput[]> {
  const { engine, signal } = session;
  const archive = await engine.archives.get(await source.id(), { path, signal });
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
  return read;
}

/**
 * Adds the folders between a source's pivot and the path the copy reads
 * for it (both excluded) to `files`, as `addSourceParents` reads them for
 * the copy: one header each, by its path from `/` of the image.
 */
async function addParentFolders(
  session: BuildSession,
  sourceId: string,
  source: { readonly written: string; readonly copied: string },
  files: Map<string, FileInput>,
): Promise<void> {
  // The pivot is read before the path is cleaned, which would drop the `/./`.
  const pivot = pivotOf(`/${source.written}`);
  const folders = parentFolders(pathAfterPivot(source.copied.slice(1), pivot));
  const paths = folders.map((folder) => posix.join(pivot, folder));
  const headers = await Promise.all(
    paths.map((path) => readPathHeader(session, sourceId, `/${path}`)),
  );
  for (const [index, path] of paths.entries()) {
    const header = headers[index];
    if (header !== undefined && !files.has(path)) files.set(path, fileInputOf(path, header, ''));
  }
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
