/**
 * The default cache store: one file per entry under a cache folder, written
 * atomically, safe for several processes at once.
 *
 * Layout under `<root>/v1/`: `entries/<first 2 hex>/<64 hex>.json` per entry
 * and `steps/<64 hex>.json` holding the key of each step's latest build.
 */
import { readFileSync, utimesSync } from 'node:fs';
import { lstat, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreError } from '../errors.js';
import { TEMPORARY_SUFFIX, writeFileAtomic } from './atomic-file.js';
import type {
  CacheEntry,
  CacheEntrySummary,
  CacheStore,
  PrunePolicy,
  StoreStats,
} from './cache-store.js';
import { defaultCacheDir } from './default-cache-dir.js';
import { encodeEntry, invalidEntryField, readEntryFile, readEntrySummary } from './entry-file.js';
import { planPrune, summarize } from './prune-plan.js';

/** Options of {@link FileSystemStore}. */
export interface FileSystemStoreOptions {
  /** Cache folder; `$XDG_CACHE_HOME/gantry` or `~/.cache/gantry` unless set. */
  readonly root?: string;
}

const KEY_FORMAT = /^sha256:([0-9a-f]{64})$/;
/** Age after which a prune removes a temporary file that no writer renamed. */
const STALE_TEMPORARY_MS = 60 * 60 * 1000;

/**
 * A {@link CacheStore} on the file system. Writes go to a temporary file that
 * is renamed into place; a truncated or garbled entry reads as a miss and is
 * removed. Last-used times are the entry files' mtimes.
 */
export class FileSystemStore implements CacheStore {
  /** The folder the store writes under (`<root>/v1`). */
  readonly folder: string;

  constructor(options: FileSystemStoreOptions = {}) {
    this.folder = join(options.root ?? defaultCacheDir(), 'v1');
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    const file = this.entryFile(key);
    if (file === undefined) {
      return undefined;
    }
    const read = await readEntryFile(file, key);
    if (read.value === undefined && read.stats !== undefined) {
      await removeIfUnchanged(file, read.stats.ino);
    }
    return read.value;
  }

  async put(entry: CacheEntry): Promise<void> {
    const file = this.entryFile(entry.key);
    if (file === undefined) {
      throw new StoreError(
        `Cache key ${JSON.stringify(entry.key)} is not "sha256:" and 64 hex digits; ` +
          'derive keys with deriveCacheKey.',
      );
    }
    const field = invalidEntryField(entry);
    if (field !== undefined) {
      throw new StoreError(
        `Cache entry ${entry.key} has an invalid ${field} ` +
          `(${JSON.stringify(entry[field as keyof CacheEntry]) ?? 'undefined'}); ` +
          'pass strings for imageId, stepText and step, and finite numbers for ' +
          'createdAt, lastUsedAt and size.',
      );
    }
    await writeFileAtomic(file, encodeEntry(entry), entry.lastUsedAt);
    await this.markLatest(entry.step, entry.key);
  }

  async delete(key: string): Promise<boolean> {
    const file = this.entryFile(key);
    if (file === undefined) {
      return false;
    }
    try {
      await rm(file);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return false;
      }
      throw error;
    }
  }

  async touch(key: string, at: number = Date.now()): Promise<void> {
    const file = this.entryFile(key);
    if (file === undefined) {
      return;
    }
    try {
      // One system call: faster than a round trip through the thread pool.
      utimesSync(file, at / 1000, at / 1000);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw error;
      }
    }
  }

  async *list(): AsyncIterable<CacheEntrySummary> {
    for await (const { file, key } of this.entryFiles()) {
      const read = await readEntrySummary(file, key);
      if (read.value !== undefined) {
        yield read.value;
      } else if (read.stats !== undefined) {
        await removeIfUnchanged(file, read.stats.ino);
      }
    }
  }

  async prune(policy: PrunePolicy): Promise<CacheEntrySummary[]> {
    await this.removeStaleTemporaries(policy.now ?? Date.now());
    const removed = planPrune(await this.summaries(), policy);
    for (const entry of removed) {
      await this.delete(entry.key);
    }
    return removed;
  }

  async stats(): Promise<StoreStats> {
    const summaries = await this.summaries();
    let storeBytes = 0;
    for await (const { file } of this.entryFiles()) {
      storeBytes += await fileSize(file);
    }
    return summarize(summaries, storeBytes);
  }

  async latest(step: string): Promise<CacheEntry | undefined> {
    const hex = KEY_FORMAT.exec(step)?.[1];
    if (hex === undefined) {
      return undefined;
    }
    const read = await readPointer(join(this.folder, 'steps', `${hex}.json`));
    return read === undefined ? undefined : this.get(read);
  }

  async markLatest(step: string, key: string): Promise<void> {
    const hex = KEY_FORMAT.exec(step)?.[1];
    if (hex === undefined) {
      return;
    }
    const file = join(this.folder, 'steps', `${hex}.json`);
    // An unchanged rebuild marks every step again: a read is cheaper than a rewrite.
    if ((await readPointer(file)) === key) return;
    await writeFileAtomic(file, `${JSON.stringify({ key })}\n`);
  }

  private entryFile(key: string): string | undefined {
    const hex = KEY_FORMAT.exec(key)?.[1];
    return hex === undefined
      ? undefined
      : join(this.folder, 'entries', hex.slice(0, 2), `${hex}.json`);
  }

  private async summaries(): Promise<CacheEntrySummary[]> {
    const summaries: CacheEntrySummary[] = [];
    for await (const summary of this.list()) {
      summaries.push(summary);
    }
    return summaries;
  }

  private async *entryFiles(): AsyncGenerator<{ file: string; key: string }> {
    const root = join(this.folder, 'entries');
    for (const shard of await namesOf(root)) {
      for (const name of await namesOf(join(root, shard))) {
        const match = /^([0-9a-f]{64})\.json$/.exec(name);
        if (match?.[1]?.startsWith(shard)) {
          yield { file: join(root, shard, name), key: `sha256:${match[1]}` };
        }
      }
    }
  }

  private async removeStaleTemporaries(now: number): Promise<void> {
    for (const folder of await this.folders()) {
      for (const name of await namesOf(folder)) {
        const file = join(folder, name);
        if (name.endsWith(TEMPORARY_SUFFIX) && (await mtimeOf(file)) < now - STALE_TEMPORARY_MS) {
          await rm(file, { force: true });
        }
      }
    }
  }

  private async folders(): Promise<string[]> {
    const entries = join(this.folder, 'entries');
    const shards = await namesOf(entries);
    return [join(this.folder, 'steps'), ...shards.map((shard) => join(entries, shard))];
  }
}

async function readPointer(file: string): Promise<string | undefined> {
  let text: string;
  try {
    // A pointer is a line of JSON: a blocking read is faster than the thread pool's round trips.
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
  try {
    const key = (JSON.parse(text) as { key?: unknown } | null)?.key;
    return typeof key === 'string' ? key : undefined;
  } catch {
    return undefined;
  }
}

/** Removes a damaged file unless another process has renamed a new one over it. */
async function removeIfUnchanged(file: string, ino: number): Promise<void> {
  try {
    if ((await lstat(file)).ino === ino) {
      await rm(file, { force: true });
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw error;
    }
  }
}

/** Lists a folder's names; a missing folder, or a stray file in its place, has none. */
async function namesOf(folder: string): Promise<string[]> {
  try {
    return await readdir(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return [];
    }
    throw error;
  }
}

async function fileSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

async function mtimeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}
