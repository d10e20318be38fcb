/**
 * Incremental build-context digests: walk the context, reuse each digest
 * whose `lstat` fields match the stat cache, read only what changed, and write
 * the new manifest. Memory is bounded by the read window, not the context size.
 */
import { mkdir, realpath, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex } from '../canonical.js';
import { DockerignoreMatcher } from '../dockerignore/dockerignore-matcher.js';
import type { DockerignoreRules } from '../dockerignore/pattern.js';
import { readDockerignore } from '../dockerignore/read-dockerignore.js';
import { defaultCacheDir } from '../store/default-cache-dir.js';
import type { ContextEntry } from './context-entry.js';
import { DigestRun } from './digest-run.js';
import { ManifestCursor } from './manifest-cursor.js';
import { ManifestOutput } from './manifest-output.js';
import { ManifestReader } from './manifest-reader.js';
import { ManifestWriter } from './manifest-writer.js';
import { assertContextFolder, walkContextBatches } from './walk-context.js';

/** Options of {@link digestContext}. */
export interface DigestContextOptions {
  /** The build-context folder. */
  readonly contextDir: string;
  /** `.dockerignore` patterns; read from the context when not given. */
  readonly patterns?: readonly string[];
  /** Rule set for the patterns; `moby` unless set. */
  readonly rules?: DockerignoreRules;
  /** Folder of stat caches; `<default cache folder>/v1/contexts` unless set. */
  readonly statCacheDir?: string;
  /**
   * Milliseconds before the run's start within which a changed mtime or ctime
   * makes an entry untrusted, so the next run reads it again; 2000 unless set.
   * A write in the same clock tick as the read can leave size and times equal
   * (the "racy" case Git's index handles too).
   */
  readonly racyWindowMs?: number;
  /** Files read at once; 8 unless set. */
  readonly concurrency?: number;
  /** Stops the digest with the signal's reason; the previous stat cache stays. */
  readonly signal?: AbortSignal;
}

/** Counts and outcome of one digest run. */
export interface ContextDigest {
  /** `sha256:<hex>` over every entry's path, type, mode and digest, in walk order. */
  readonly digest: string;
  /** Manifest file written by this run (replaced by the next run on the same context). */
  readonly manifestFile: string;
  /** Entries kept by `.dockerignore`, folders included. */
  readonly entries: number;
  /** Regular files among them, and their total size in bytes. */
  readonly files: number;
  readonly bytes: number;
  /** Files and symlinks read in this run, and the bytes read. */
  readonly readEntries: number;
  readonly readBytes: number;
  /** Files and symlinks whose digest came from the stat cache. */
  readonly reusedEntries: number;
  /** Paths that kept changing while read; their digest is of the last read. */
  readonly unstable: readonly string[];
  /**
   * Streams the digested entries in walk order, all of them or those equal to
   * or under one of `under` (paths relative to the context root).
   */
  read(filter?: { readonly under?: readonly string[] }): AsyncIterable<ContextEntry>;
}

const DEFAULT_CONCURRENCY = 8;
const DEFAULT_RACY_WINDOW_MS = 2000;

/**
 * Digests a build context incrementally.
 *
 * @example
 * ```ts
 * const context = await digestContext({ contextDir: 'examples/seed' });
 * for await (const entry of context.read({ under: ['website'] })) console.log(entry.path);
 * ```
 * @throws ContextError when the context is missing or an entry cannot be read.
 * @throws DockerignorePatternError when `.dockerignore` has a pattern Docker rejects.
 */
export async function digestContext(options: DigestContextOptions): Promise<ContextDigest> {
  const contextDir = await realpath(options.contextDir).catch(() => options.contextDir);
  await assertContextFolder(contextDir);
  const patterns = options.patterns ?? (await readDockerignore(contextDir));
  const matcher = new DockerignoreMatcher(patterns, { rules: options.rules });
  const manifestFile = await manifestPath(contextDir, options);
  const run = new DigestRun({
    concurrency: readConcurrency(options.concurrency),
    racyWindowMs: options.racyWindowMs ?? DEFAULT_RACY_WINDOW_MS,
  });
  const previous = new ManifestReader(manifestFile);
  const writer = new ManifestWriter(manifestFile, previous);
  try {
    const walk = walkContextBatches({ contextDir, matcher, signal: options.signal });
    await run.process(walk, new ManifestCursor(previous), new ManifestOutput(writer));
    if (writer.commit()) {
      await rm(legacyManifestPath(manifestFile), { force: true });
    }
  } catch (error) {
    writer.abort();
    throw error;
  } finally {
    previous.close();
  }
  return run.result(manifestFile);
}

function readConcurrency(value: number | undefined): number {
  if (value === undefined) {
    return DEFAULT_CONCURRENCY;
  }
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`concurrency must be an integer of at least 1, received ${value}.`);
  }
  return value;
}

async function manifestPath(contextDir: string, options: DigestContextOptions): Promise<string> {
  const folder = options.statCacheDir ?? join(defaultCacheDir(), 'v1', 'contexts');
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const name = sha256Hex(`${contextDir}\n${options.rules ?? 'moby'}`);
  return join(folder, `${name}.manifest`);
}

/** Returns the path of the text manifest that versions before the columnar format wrote for the same context. */
function legacyManifestPath(manifestFile: string): string {
  return manifestFile.replace(/\.manifest$/, '.ndjson');
}
