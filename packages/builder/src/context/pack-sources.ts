/** The tar stream a COPY or ADD puts into its container: exactly the files it reads. */

import type { Stats } from 'node:fs';
import { createReadStream } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ContextEntry } from '@gantry/cache';
import { type Pack, pack } from 'tar-stream';
import { type ModeChange, modeAfterChown } from './file-mode.js';
import type { MatchedSource, SourceOrigin } from './match-sources.js';
import { packableHeader } from './tar-header.js';

/** One entry to write: a context entry and its absolute path in the container. */
export interface CopyEntry {
  readonly entry: ContextEntry;
  readonly target: string;
  /** Data source of an entry that is not a context file. */
  readonly origin?: SourceOrigin | undefined;
  /**
   * Index of the folder source the entry comes from. Files of one folder
   * source that share an inode are written as hard links to the first.
   */
  readonly folderSource?: number | undefined;
}

/** Owner and mode that COPY flags set on every entry. */
export interface CopyAttributes {
  readonly uid: number;
  readonly gid: number;
  /** Mode from `--chmod`, applied to each entry's own. */
  readonly mode?: ModeChange | undefined;
}

/**
 * Places the matched sources under the destination: a folder's contents go
 * into the destination, a file goes into it when it is a folder, or becomes
 * it otherwise.
 */
export function placeSources(
  sources: readonly MatchedSource[],
  destination: string,
  destinationIsFolder: boolean,
): CopyEntry[] {
  return sources.flatMap((source, index): CopyEntry[] => {
    if (source.entry.type === 'dir') {
      const prefix = source.entry.path === '' ? '' : `${source.entry.path}/`;
      return source.children.map((entry) => ({
        entry,
        target: posix.join(destination, entry.path.slice(prefix.length)),
        folderSource: index,
      }));
    }
    const target = destinationIsFolder ? posix.join(destination, source.name) : destination;
    return [{ entry: source.entry, target, origin: source.origin }];
  });
}

/** A folder that a COPY or ADD creates (mode 0755), with its owner ids. */
export interface NewFolder {
  readonly path: string;
  readonly uid: number;
  readonly gid: number;
}

/**
 * Streams the entries as a tar whose paths are relative to `/` of the
 * container, after the new folders, which come outermost first.
 */
export function packEntries(
  contextDir: string,
  entries: readonly CopyEntry[],
  attributes: CopyAttributes,
  newFolders: readonly NewFolder[] = [],
): Readable {
  const archive = pack();
  const mtime = new Date();
  for (const folder of newFolders) {
    const name = `${folder.path.replace(/^\/+/, '')}/`;
    archive.entry(
      packableHeader({
        name,
        type: 'directory',
        mode: 0o755,
        uid: folder.uid,
        gid: folder.gid,
        mtime,
      }),
    );
  }
  writeEntries(archive, contextDir, entries, attributes).then(
    () => archive.finalize(),
    (error: unknown) => archive.destroy(error as Error),
  );
  return asReadable(archive);
}

/** tar-stream's packs are streamx streams, which pipe as Node streams do. */
export function asReadable(archive: Pack): Readable {
  return archive as unknown as Readable;
}

async function writeEntries(
  archive: Pack,
  contextDir: string,
  entries: readonly CopyEntry[],
  attributes: CopyAttributes,
): Promise<void> {
  const linkTargets = new Map<string, string>();
  for (const { entry, target, origin, folderSource } of entries) {
    const file = origin?.kind === 'download' ? origin.file : join(contextDir, entry.path);
    const stats = origin?.kind === 'inline' ? undefined : await lstat(file);
    const header = {
      name: target.replace(/^\/+/, ''),
      mode: modeOf(entry, attributes),
      uid: attributes.uid,
      gid: attributes.gid,
      mtime: modifiedTime(origin, stats?.mtime),
    };
    if (origin?.kind === 'inline') {
      archive.entry(packableHeader({ ...header, type: 'file' }), origin.content);
    } else if (entry.type === 'dir') {
      archive.entry(packableHeader({ ...header, type: 'directory' }));
    } else if (entry.type === 'symlink') {
      archive.entry(
        packableHeader({ ...header, type: 'symlink', linkname: entry.linkTarget ?? '' }),
      );
    } else if (entry.type === 'file') {
      const linkTarget =
        stats === undefined || folderSource === undefined
          ? undefined
          : hardLinkTarget(linkTargets, folderSource, stats, header.name);
      if (linkTarget !== undefined) {
        archive.entry(packableHeader({ ...header, type: 'link', linkname: linkTarget }));
      } else {
        const sink = archive.entry(
          packableHeader({ ...header, type: 'file', size: stats?.size ?? 0 }),
        );
        await pipeline(createReadStream(file), sink);
      }
    }
  }
}

/**
 * Returns the name written first for the inode of `stats` in the same folder
 * source, or records `name` as that name and returns undefined. The classic
 * builder archives each folder source on its own, so files linked across
 * two sources, or to a file outside the source, are copied as files.
 * NOTE: the COPY cache key has no inode numbers, so relinking files without
 * changing their content still hits the layer cached before.
 */
function hardLinkTarget(
  linkTargets: Map<string, string>,
  folderSource: number,
  stats: Stats,
  name: string,
): string | undefined {
  if (stats.nlink < 2) return undefined;
  const key = `${folderSource}:${stats.dev}:${stats.ino}`;
  const first = linkTargets.get(key);
  if (first === undefined) linkTargets.set(key, name);
  return first;
}

/**
 * Returns the `--chmod` mode of a copied entry, or else its own mode after
 * the chown that the classic builder runs on every entry it copies from the
 * context.
 */
function modeOf(entry: ContextEntry, attributes: CopyAttributes): number {
  const directory = entry.type === 'dir';
  return attributes.mode?.(entry.mode, directory) ?? modeAfterChown(entry.mode, directory);
}

/** Returns an entry's modification time: a download's `Last-Modified`, else the file's, else now. */
function modifiedTime(origin: SourceOrigin | undefined, fileTime: Date | undefined): Date {
  if (origin?.kind === 'download' && origin.mtime !== undefined) return origin.mtime;
  return fileTime ?? new Date();
}
