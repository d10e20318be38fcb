/**
 * `COPY --from --parents`: each source keeps its path from `/` of the source
 * image, or from a `/./` pivot in the source, under the destination folder,
 * as the same COPY from the build context keeps it from the context root.
 * The parent folders after the pivot get the owners and modes they have in
 * the source image, unless `--chown` or `--chmod` sets them.
 */
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import type { DockerignoreMatcher } from '@gantry/cache';
import { excludedInArchive } from '../context/exclude-sources.js';
import { isPattern } from '../context/match-sources.js';
import { pathAfterPivot, pivotOf } from '../context/parent-paths.js';
import { type EntryAttributes, rewriteArchive } from '../context/rewrite-archive.js';
import type { BuildSession } from '../session.js';
import { copyPattern } from './copy-from-pattern.js';
import { type SourceImage, sourceNotFound } from './copy-from-source.js';
import { resolvePath } from './create-folder.js';
import { addSourceParents, ParentFolders } from './source-parent-folders.js';

/** Containers, sources and flags of {@link copyWithParents}. */
export interface ParentsCopy {
  /** Container of the source image, never started. */
  readonly sourceId: string;
  /** Reads the engine's archive of a path in the source container. */
  readonly readArchive: (path: string) => Promise<Readable>;
  /** The step's container. */
  readonly containerId: string;
  /** The sources as written, after variable expansion. */
  readonly sources: readonly string[];
  /** Destination folder in the step's container, without a trailing `/`. */
  readonly destination: string;
  readonly attributes: EntryAttributes;
  readonly exclude: DockerignoreMatcher | undefined;
  readonly image: SourceImage;
}

/**
 * Copies each source under the destination with its path after the pivot,
 * then writes the parent folders of all of them in one more archive.
 *
 * @throws BuildError `ERR_COPY_SOURCE` naming the source and the stage or
 * image when a path is missing or a wildcard matches nothing.
 */
export async function copyWithParents(session: BuildSession, copy: ParentsCopy): Promise<void> {
  const { engine, signal } = session;
  const folders = new ParentFolders();
  for (const source of copy.sources) {
    // The pivot is read before the path is cleaned, which would drop the `/./`.
    const pivot = pivotOf(`/${source}`);
    const absolute = posix.resolve('/', source);
    if (isPattern(source)) {
      const { sourceId, containerId, readArchive, destination, attributes, exclude, image } = copy;
      const pattern = {
        sourceId,
        containerId,
        readArchive,
        destination,
        attributes,
        exclude,
        image,
      };
      const parents = { pivot, folders };
      await copyPattern(session, { ...pattern, pattern: absolute, source, parents });
    } else {
      await copyPath(session, copy, { source, absolute, pivot }, folders);
    }
  }
  // Folders written after the files they hold: the engine gives an existing
  // folder the owner and mode of its entry.
  if (folders.size === 0) return;
  const archive = folders.pack(copy.attributes);
  await engine.archives.put(copy.containerId, { path: '/', archive, signal });
}

/** A source that is no wildcard, as written and as an absolute path, and its pivot. */
interface PathSource {
  readonly source: string;
  readonly absolute: string;
  readonly pivot: string;
}

/**
 * Copies a file or folder source to its path after the pivot, a folder with
 * its own entry and what it contains, and records its parent folders.
 */
async function copyPath(
  session: BuildSession,
  copy: ParentsCopy,
  path: PathSource,
  folders: ParentFolders,
): Promise<void> {
  const { engine, signal } = session;
  const { sourceId, exclude } = copy;
  // The engine's archive of a symbolic link contains the link alone, so the link is followed first.
  const { kind, path: resolved } = await resolvePath(session, sourceId, path.absolute);
  if (kind === 'missing') throw sourceNotFound(path.source, copy.image);
  // `--exclude` matches a file source by its name, and a folder's entries below the folder.
  if (kind !== 'directory' && exclude?.excludes(posix.basename(path.absolute)) === true) return;
  const relative = path.absolute.slice(1);
  const preserved = pathAfterPivot(relative, path.pivot);
  const archiveBase = posix.basename(resolved);
  const target = posix.join(copy.destination, preserved).slice(1);
  const place = (entry: string): string | undefined => {
    const clean = entry.replace(/\/+$/, '');
    // A source that is the pivot itself adds only what it contains.
    if (clean === archiveBase) return preserved === '' ? undefined : target;
    if (exclude !== undefined && excludedInArchive(exclude, archiveBase, entry)) return undefined;
    return posix.join(target, clean.slice(archiveBase.length + 1));
  };
  const rename = (entry: string, type?: string): string | undefined => {
    const name = place(entry);
    if (name !== undefined && type === 'directory') folders.markWritten(`/${name}`);
    return name;
  };
  const archive = await copy.readArchive(resolved);
  const rewritten = rewriteArchive(archive, rename, copy.attributes);
  await engine.archives.put(copy.containerId, { path: '/', archive: rewritten, signal });
  const { destination } = copy;
  await addSourceParents(session, folders, {
    sourceId,
    pivot: path.pivot,
    path: relative,
    destination,
  });
}
