/** Creates a folder in a step's container when it is missing, as WORKDIR does. */
import { posix } from 'node:path';
import { pack } from 'tar-stream';
import { asReadable } from '../context/pack-sources.js';
import { packableHeader } from '../context/tar-header.js';
import type { BuildSession } from '../session.js';

/** Owner ids of the folders {@link createFolder} makes. */
export interface FolderOwner {
  readonly uid: number;
  readonly gid: number;
}

/** Owner ids of root, the owner of the folders WORKDIR creates. */
export const ROOT_OWNER: FolderOwner = { uid: 0, gid: 0 };

/**
 * Creates `folder` and its missing parents with mode 0755, owned by root as
 * the classic builder does for WORKDIR, or by `owner` (a COPY's `--chown`).
 * The missing parents belong to `parentOwner`, which is `owner` unless set.
 * Folders that exist keep their owner and mode, because only the missing
 * ones go into the archive. Returns the folders created, outermost first.
 */
export async function createFolder(
  session: BuildSession,
  containerId: string,
  folder: string,
  owner: FolderOwner = ROOT_OWNER,
  parentOwner: FolderOwner = owner,
): Promise<readonly string[]> {
  const missing = await missingFolders(session, containerId, folder);
  if (missing.length === 0) return missing;
  const owned = missing.map((path) => ({ path, ...(path === folder ? owner : parentOwner) }));
  await putFolders(session, containerId, owned);
  return missing;
}

/**
 * Puts folders with mode 0755 and the given owners into the container. The
 * engine gives a folder that exists the owner and mode of its entry.
 */
export async function putFolders(
  session: BuildSession,
  containerId: string,
  folders: readonly (FolderOwner & { readonly path: string })[],
): Promise<void> {
  const archive = pack();
  const mtime = new Date();
  for (const { path, uid, gid } of folders) {
    const name = `${path.slice(1)}/`;
    archive.entry(packableHeader({ name, type: 'directory', mode: 0o755, uid, gid, mtime }));
  }
  archive.finalize();
  await session.engine.archives.put(containerId, {
    path: '/',
    archive: asReadable(archive),
    signal: session.signal,
  });
}

/**
 * Returns the missing folders on the way to `folder`, the outermost first:
 * those below the innermost path that exists. All the paths are checked at
 * once, in one round trip to the engine instead of one per level.
 */
export async function missingFolders(
  session: BuildSession,
  containerId: string,
  folder: string,
): Promise<string[]> {
  const paths: string[] = [];
  for (let path = folder; path !== '/'; path = posix.dirname(path)) paths.push(path);
  const found = await Promise.all(paths.map((path) => pathExists(session, containerId, path)));
  const innermostFound = found.indexOf(true);
  return paths.slice(0, innermostFound === -1 ? paths.length : innermostFound).reverse();
}

/** Kind of a path in a container. */
export type PathKind = 'missing' | 'directory' | 'other';

/** Symbolic links followed before a path counts as `other`, as a guard against loops. */
const MAX_LINKS = 16;

/**
 * Returns whether a path in the container is missing, a folder, or anything
 * else. The container is one the build created and has not removed. A symbolic link counts as what it points to, as the classic builder
 * follows it.
 */
export async function pathKind(
  session: BuildSession,
  containerId: string,
  path: string,
): Promise<PathKind> {
  return (await resolvePath(session, containerId, path)).kind;
}

/**
 * Follows the symbolic links of a path in the container and returns the path
 * they lead to, with its kind. After more than {@link MAX_LINKS} links in a
 * row, the last path reached is returned as `other`.
 */
export async function resolvePath(
  session: BuildSession,
  containerId: string,
  path: string,
): Promise<{ readonly kind: PathKind; readonly path: string }> {
  let current = path;
  for (let link = 0; link <= MAX_LINKS; link++) {
    const stat = await session.engine.archives.stat(containerId, {
      path: current,
      signal: session.signal,
      knownContainer: true,
    });
    if (stat === undefined) return { kind: 'missing', path: current };
    if (stat.type !== 'symlink') {
      return { kind: stat.type === 'directory' ? 'directory' : 'other', path: current };
    }
    current = stat.linkTarget;
  }
  return { kind: 'other', path: current };
}

/** Returns whether a path exists in the container. */
export async function pathExists(
  session: BuildSession,
  containerId: string,
  path: string,
): Promise<boolean> {
  const stat = await session.engine.archives.stat(containerId, {
    path,
    signal: session.signal,
    knownContainer: true,
  });
  return stat !== undefined;
}
