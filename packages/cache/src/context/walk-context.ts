/**
 * Walks a build-context folder in Docker's order (depth first, names sorted by
 * code point), applying `.dockerignore` as Docker's context walk does. Memory
 * contains one sorted name list per open folder, never every path of the tree.
 */
import { type BigIntStats, constants, lstatSync, readdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { setImmediate } from 'node:timers/promises';
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

/**
 * How many entries the walk stats between two turns of the event loop. The
 * walk calls `lstatSync` and `readdirSync`: on Node 20 the promise forms cost
 * three to five times more per call (measured on 5,000 files), and an
 * unchanged context is checked with nothing but these calls.
 */
const STAT_BATCH = 256;

/**
 * Yields every entry of the context that `.dockerignore` keeps, parents before
 * children. An excluded folder is skipped unless an exception pattern's text
 * starts with its path, in which case it is walked but not yielded itself.
 * Sockets are skipped as Docker's archive skips them.
 *
 * @throws ContextError when the context folder is missing or a folder cannot be read.
 */
export async function* walkContext(options: WalkContextOptions): AsyncGenerator<WalkedEntry> {
  for await (const batch of walkContextBatches(options)) {
    yield* batch;
  }
}

/** A folder being walked: its sorted names and the next one to visit. */
interface Frame {
  readonly absoluteFolder: string;
  readonly folder: string;
  readonly names: string[];
  next: number;
}

/**
 * Yields the entries of {@link walkContext} in arrays of up to `STAT_BATCH`,
 * in the same order. One generator with an explicit stack of folders costs far
 * less per entry than a generator per folder.
 */
export async function* walkContextBatches(
  options: WalkContextOptions,
): AsyncGenerator<WalkedEntry[]> {
  options.signal?.throwIfAborted();
  await assertFolder(options.contextDir);
  const stack: Frame[] = [openFrame(options.contextDir, '')];
  let batch: WalkedEntry[] = [];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    const name = frame.names[frame.next++];
    if (name === undefined) {
      stack.pop();
      continue;
    }
    const entry = statEntry(frame.absoluteFolder, frame.folder, name);
    if (entry === undefined) {
      continue;
    }
    const excluded = options.matcher?.excludes(entry.path) ?? false;
    if (!excluded) {
      batch.push(entry);
    }
    if (entry.type === 'dir' && (!excluded || options.matcher?.walksExcludedFolder(entry.path))) {
      stack.push(openFrame(entry.absolutePath, entry.path));
    }
    if (batch.length >= STAT_BATCH) {
      yield batch;
      batch = [];
      options.signal?.throwIfAborted();
      await setImmediate();
    }
  }
  if (batch.length > 0) {
    yield batch;
  }
}

function openFrame(absoluteFolder: string, folder: string): Frame {
  return { absoluteFolder, folder, names: readNames(absoluteFolder), next: 0 };
}

function statEntry(absoluteFolder: string, folder: string, name: string): WalkedEntry | undefined {
  const absolutePath = `${absoluteFolder}/${name}`;
  let stats: BigIntStats;
  try {
    stats = lstatSync(absolutePath, { bigint: true });
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

/**
 * Maps `lstat` results to entry types; sockets map to `undefined`. It reads the
 * file-type bits of `st_mode` once, because each `isFile()`-style call on
 * bigint stats allocates new bigints.
 */
export function entryType(stats: BigIntStats): EntryType | undefined {
  switch (Number(stats.mode) & constants.S_IFMT) {
    case constants.S_IFREG:
      return 'file';
    case constants.S_IFDIR:
      return 'dir';
    case constants.S_IFLNK:
      return 'symlink';
    case constants.S_IFSOCK:
      return undefined;
    default:
      return 'other';
  }
}

function readNames(absoluteFolder: string): string[] {
  try {
    return sortNames(readdirSync(absoluteFolder));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return [];
    }
    throw unreadable(absoluteFolder, error);
  }
}

/**
 * Sorts names by code point. The built-in sort compares UTF-16 code units,
 * which is the same order unless a name has a surrogate pair, and costs far
 * less than a comparator on folders of thousands of names.
 */
function sortNames(names: string[]): string[] {
  names.sort();
  return names.some((name) => SURROGATE.test(name)) ? names.sort(compareCodePoints) : names;
}

const SURROGATE = /[\uD800-\uDFFF]/;

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
