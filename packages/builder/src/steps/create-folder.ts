/** Creates a folder in a step's container when it is missing, as WORKDIR does. */
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { EngineError } from '@gantry/daemon';
import { extract, pack } from 'tar-stream';
import { asReadable } from '../context/pack-sources.js';
import type { BuildSession } from '../session.js';

/**
 * Creates `folder` and its missing parents, owned by root with mode 0755, as
 * the classic builder does for WORKDIR. Folders that exist keep their owner
 * and mode, because only the missing ones go into the archive.
 */
export async function createFolder(
  session: BuildSession,
  containerId: string,
  folder: string,
): Promise<void> {
  const missing = await missingFolders(session, containerId, folder);
  if (missing.length === 0) return;
  const archive = pack();
  const mtime = new Date();
  for (const path of missing) {
    archive.entry({
      name: `${path.slice(1)}/`,
      type: 'directory',
      mode: 0o755,
      uid: 0,
      gid: 0,
      mtime,
    });
  }
  archive.finalize();
  await session.engine.archives.put(containerId, {
    path: '/',
    archive: asReadable(archive),
    signal: session.signal,
  });
}

/** Returns the missing folders on the way to `folder`, the outermost first. */
export async function missingFolders(
  session: BuildSession,
  containerId: string,
  folder: string,
): Promise<string[]> {
  const missing: string[] = [];
  let path = folder;
  while (path !== '/' && !(await pathExists(session, containerId, path))) {
    missing.unshift(path);
    path = posix.dirname(path);
  }
  return missing;
}

/** Kind of a path in a container. */
export type PathKind = 'missing' | 'directory' | 'other';

/**
 * Returns whether a path in the container is missing, a folder, or anything
 * else, from the first header of an archive of it.
 * NOTE: a symlink to a folder counts as `other`, where the classic builder
 * follows it.
 */
export async function pathKind(
  session: BuildSession,
  containerId: string,
  path: string,
): Promise<PathKind> {
  let stream: Readable;
  try {
    stream = await session.engine.archives.get(containerId, { path, signal: session.signal });
  } catch (error) {
    if (error instanceof EngineError && error.statusCode === 404) return 'missing';
    throw error;
  }
  return new Promise<PathKind>((resolve, reject) => {
    const reader = extract();
    reader.once('entry', (header) => {
      resolve(header.type === 'directory' ? 'directory' : 'other');
      stream.destroy();
      reader.destroy();
    });
    reader.once('error', reject);
    reader.once('finish', () => resolve('other'));
    stream.pipe(reader as unknown as NodeJS.WritableStream);
  });
}

/**
 * Returns whether a path exists in the container.
 * NOTE: reads the start of an archive of the path and drops it, because
 * `@gantry/daemon` has no stat call (HEAD /containers/{id}/archive) yet.
 */
export async function pathExists(
  session: BuildSession,
  containerId: string,
  path: string,
): Promise<boolean> {
  try {
    const stream = await session.engine.archives.get(containerId, { path, signal: session.signal });
    stream.destroy();
    return true;
  } catch (error) {
    // 404: no such path; 400: a file where the path needs a folder.
    if (error instanceof EngineError && (error.statusCode === 404 || error.statusCode === 400)) {
      return false;
    }
    throw error;
  }
}
