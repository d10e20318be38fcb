/**
 * Walks a build-context folder in Docker's order (depth first, names sorted by
 * code point), applying `.dockerignore` as Docker's context walk does. Memory
 * holds one sorted name list per open folder, never every path of the tree.
 */
import type { BigIntStats } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { compareCodePoints } from '../canonical.js';
import type { DockerignoreMatcher } from '../dockerignore/dockerignore-matcher.js';
import { ContextError } from '../errors.js';
import type { EntryType } from './context-entry.js';

/** An entry the walk yields. */
export interface WalkedEntry {
  /** Path relative to the context root, `/`-separated. */
  readonly path: string;
  /** Absolute path on disk. */
  readonly absolutePath: string;
  /** Entry type. */
  readonly type: EntryType;
  /** `lstat` result with nanosecond times; symlinks are not followed. */
  readonly stats: BigIntStats;
}

/** Options of {@link walkContext}. */
export interface WalkContextOptions {
  /** The build-context folder. */
  readonly contextDir: string;
  /** The `.dockerignore` matcher; nothing is excluded without one. */
  readonly matcher?: DockerignoreMatcher;
  /** Stops the walk with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** How many `lstat` calls run at once within one folder. */
const STAT_BATCH = 128;

/**
 * Yields every entry of the context that `.dockerignore` keeps, parents before
 * children. An excluded folder is skipped unless an exception pattern's text
 * starts with its path, in which case it is walked but not yielded itself.
 * Sockets are skipped as Docker's archive skips them.
 *
 * @throws ContextError when the context folder is missing or a folder cannot be read.
 */
export async function* walkContext(options: WalkContextOptions): AsyncGenerator<WalkedEntry> {
  await assertFolder(options.contextDir);
  yield* walkFolder(options, options.contextDir, '');
}

async function* walkFolder(
  options: WalkContextOptions,
  absoluteFolder: string,
  folder: string,
): AsyncGenerator<WalkedEntry> {
  const names = await readNames(absoluteFolder);
  for (let start = 0; start < names.length; start += STAT_BATCH) {
    options.signal?.throwIfAborted();
    const batch = names.slice(start, start + STAT_BATCH);
    const entries = await Promise.all(batch.map((name) => statEntry(absoluteFolder, folder, name)));
    for (const entry of entries) {
      if (entry !== undefined) {
        yield* visit(options, entry);
      }
    }
  }
}

async function* visit(
  options: WalkContextOptions,
  entry: WalkedEntry,
): AsyncGenerator<WalkedEntry> {
  const excluded = options.matcher?.excludes(entry.path) ?? false;
  if (!excluded) {
    yield entry;
  }
  const walkInside = !excluded || options.matcher?.walksExcludedFolder(entry.path) === true;
  if (entry.type === 'dir' && walkInside) {
    yield* walkFolder(options, entry.absolutePath, entry.path);
  }
}

async function statEntry(
  absoluteFolder: string,
  folder: string,
  name: string,
): Promise<WalkedEntry | undefined> {
  const absolutePath = join(absoluteFolder, name);
  let stats: BigIntStats;
  try {
    stats = await lstat(absolutePath, { bigint: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw unreadable(absolutePath, error);
  }
  const type = entryType(stats);
  if (type === undefined) {
    return undefined;
  }
  const path = folder === '' ? name : `${folder}/${name}`;
  return { path, absolutePath, type, stats };
}

/** Maps `lstat` results to entry types; sockets map to `undefined`. */
export function entryType(stats: BigIntStats): EntryType | undefined {
  if (stats.isFile()) {
    return 'file';
  }
  if (stats.isDirectory()) {
    return 'dir';
  }
  if (stats.isSymbolicLink()) {
    return 'symlink';
  }
  return stats.isSocket() ? undefined : 'other';
}

async function readNames(absoluteFolder: string): Promise<string[]> {
  try {
    const names = await readdir(absoluteFolder);
    return names.sort(compareCodePoints);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return [];
    }
    throw unreadable(absoluteFolder, error);
  }
}

async function assertFolder(contextDir: string): Promise<void> {
  let isFolder = false;
  try {
    isFolder = (await stat(contextDir)).isDirectory();
  } catch (cause) {
    throw new ContextError(
      'CONTEXT_NOT_FOUND',
      contextDir,
      `Build context ${JSON.stringify(contextDir)} was not found; pass an existing folder.`,
      { cause },
    );
  }
  if (!isFolder) {
    throw new ContextError(
      'CONTEXT_NOT_FOUND',
      contextDir,
      `Build context ${JSON.stringify(contextDir)} is not a folder; pass the folder that holds the files.`,
    );
  }
}

function unreadable(path: string, cause: unknown): ContextError {
  return new ContextError(
    'CONTEXT_UNREADABLE',
    path,
    `Cannot read ${JSON.stringify(path)} in the build context ` +
      `(${(cause as NodeJS.ErrnoException).code ?? 'error'}); ` +
      'fix its permissions or exclude it in .dockerignore.',
    { cause },
  );
}
