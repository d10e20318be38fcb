/**
 * The parent folders that `COPY --from --parents` writes above its sources,
 * with the owners and modes they have in the source image.
 */
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { extract, type Header } from 'tar-stream';
import { parentFolders, pathAfterPivot } from '../context/parent-paths.js';
import { type EntryAttributes, packHeaders } from '../context/rewrite-archive.js';
import type { BuildSession } from '../session.js';

/** Folder headers from the source image, each under its path in the step's container. */
export class ParentFolders {
  readonly #headers = new Map<string, Header>();
  /** Folders that a source's own entries wrote before any parent header for them. */
  readonly #written = new Set<string>();

  /** Number of folders recorded. */
  get size(): number {
    return this.#headers.size;
  }

  /**
   * Records the header of a folder that goes to `target`, an absolute path.
   * Anything but a folder is left out, because a symbolic link on the way to
   * a source is not copied. The first header of a target wins, whether a
   * parent's or a copied folder's, as in a COPY from the context.
   */
  add(target: string, header: Header): void {
    if (header.type !== 'directory' || this.#headers.has(target)) return;
    if (this.#written.has(target)) return;
    this.#headers.set(target, { ...header, name: `${target.slice(1)}/` });
  }

  /** Records a folder that a source's own entries wrote at `target`, an absolute path. */
  markWritten(target: string): void {
    this.#written.add(target);
  }

  /** Streams the folders as a tar, outermost first, with the COPY's owner and mode. */
  pack(attributes: EntryAttributes): Readable {
    const depth = (name: string) => name.split('/').length;
    const headers = [...this.#headers.values()].sort(
      (left, right) => depth(left.name) - depth(right.name),
    );
    return packHeaders(headers, attributes);
  }
}

/** Source image, pivot and destination of the parent folders of one source. */
export interface SourceParents {
  /** Container of the source image, never started. */
  readonly sourceId: string;
  /** The source's pivot, relative to `/` of the source image (`''` for the root). */
  readonly pivot: string;
  /** A path relative to `/` of the source image whose folders after the pivot are fetched. */
  readonly path: string;
  /** Destination folder in the step's container. */
  readonly destination: string;
}

/**
 * Records the folders between the pivot and `path` (both excluded) with
 * their headers in the source image, one request per folder, all at once.
 */
export async function addSourceParents(
  session: BuildSession,
  parents: ParentFolders,
  source: SourceParents,
): Promise<void> {
  const folders = parentFolders(pathAfterPivot(source.path, source.pivot));
  const headers = await Promise.all(
    folders.map((folder) =>
      readPathHeader(session, source.sourceId, `/${posix.join(source.pivot, folder)}`),
    ),
  );
  for (const [index, folder] of folders.entries()) {
    const header = headers[index];
    if (header !== undefined) parents.add(posix.join(source.destination, folder), header);
  }
}

/**
 * Reads the tar header of a path in a container: the first entry of the
 * engine's archive of the path, which names the path itself. The rest of the
 * archive is not read, because the response is closed after that entry.
 */
export async function readPathHeader(
  session: BuildSession,
  containerId: string,
  path: string,
): Promise<Header | undefined> {
  const archive = await session.engine.archives.get(containerId, { path, signal: session.signal });
  const reader = extract();
  try {
    return await new Promise<Header | undefined>((resolve, reject) => {
      reader.once('entry', (header) => resolve(header));
      reader.once('finish', () => resolve(undefined));
      reader.once('error', reject);
      archive.once('error', reject);
      archive.pipe(reader as unknown as NodeJS.WritableStream);
    });
  } finally {
    // Closing the response mid-archive can raise an error that no one waits for.
    archive.on('error', () => {});
    archive.unpipe();
    archive.destroy();
    reader.destroy();
  }
}
