/**
 * One run of {@link digestContext}: a window of reads in flight, written to
 * the manifest in walk order, with counters and the root hash.
 */
import { createHash } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import type { EntryType } from './context-entry.js';
import { isUnder } from './context-entry.js';
import type { ContextDigest } from './digest-context.js';
import {
  type ChangedDuringRead,
  digestFile,
  digestSymlink,
  type EntryDigest,
} from './file-digest.js';
import {
  encodeLine,
  type ManifestCursor,
  type ManifestLine,
  type ManifestWriter,
  readManifest,
  reusableDigest,
  stampOf,
  toContextEntry,
} from './manifest.js';
import { entryType, type WalkedEntry } from './walk-context.js';

/** Attempts at reading an entry that changes under the read before it is reported. */
const READ_ATTEMPTS = 3;
const READ_BUFFER_SIZE = 256 * 1024;

/** The manifest line and root-hash fields of one entry. */
interface Outcome {
  /** Manifest line without its newline. */
  readonly line: string;
  /** The path as a JSON string, as it enters the root hash. */
  readonly jsonPath: string;
  readonly type: EntryType;
  /** `st_mode & 0o7777`. */
  readonly mode: number;
  readonly size: number;
  readonly digest: string;
  /** Position of the previous manifest line reused as is. */
  readonly position?: number;
}

/** @internal */
export class DigestRun {
  private readonly concurrency: number;
  /** Outcomes in walk order; a promise while its entry is being read. */
  private readonly window: (Outcome | undefined | Promise<Outcome | undefined>)[] = [];
  private readonly buffers: Buffer[] = [];
  private readonly rootHash = createHash('sha256');
  /** Root-hash lines gathered within a batch, hashed once per batch. */
  private hashInput = '';
  /** Entries changed at or after this time (ns since the epoch) are not trusted next run. */
  private readonly racyAfterNs: bigint;
  private readonly unstable: string[] = [];
  private entries = 0;
  private files = 0;
  private bytes = 0;
  private readEntries = 0;
  private readBytes = 0;
  private reusedEntries = 0;

  constructor(options: { concurrency: number; racyWindowMs: number }) {
    this.concurrency = Math.max(1, options.concurrency);
    this.racyAfterNs = BigInt(Date.now() - options.racyWindowMs) * 1_000_000n;
  }

  /** Digests every walked entry and writes the manifest lines in walk order. */
  async process(
    batches: AsyncIterable<WalkedEntry[]>,
    cursor: ManifestCursor,
    writer: ManifestWriter,
  ): Promise<void> {
    try {
      for await (const batch of batches) {
        for (const entry of batch) {
          const found = cursor.find(entry.path);
          const pending = this.resolve(entry, found instanceof Promise ? await found : found);
          if (!(pending instanceof Promise) && this.window.length === 0) {
            this.emit(writer, pending);
            continue;
          }
          if (pending instanceof Promise) {
            pending.catch(() => undefined);
          }
          this.window.push(pending);
          await this.emitReady(writer, this.concurrency);
        }
        this.flushHash();
        await writer.drained();
      }
      await this.emitReady(writer, 1);
      this.flushHash();
    } finally {
      await Promise.allSettled(this.window);
    }
  }

  /** Returns the outcome once {@link process} has finished. */
  result(manifestFile: string): ContextDigest {
    return {
      digest: `sha256:${this.rootHash.digest('hex')}`,
      manifestFile,
      entries: this.entries,
      files: this.files,
      bytes: this.bytes,
      readEntries: this.readEntries,
      readBytes: this.readBytes,
      reusedEntries: this.reusedEntries,
      unstable: this.unstable,
      read: (filter) => readEntries(manifestFile, filter?.under),
    };
  }

  /** Writes finished outcomes from the head of the window, waiting while it contains `limit` or more. */
  private async emitReady(writer: ManifestWriter, limit: number): Promise<void> {
    while (this.window.length > 0) {
      const head = this.window[0];
      if (head instanceof Promise && this.window.length < limit) {
        return;
      }
      this.window.shift();
      this.emit(writer, head instanceof Promise ? await head : head);
    }
  }

  private flushHash(): void {
    this.rootHash.update(this.hashInput);
    this.hashInput = '';
  }

  private emit(writer: ManifestWriter, outcome: Outcome | undefined): void {
    if (outcome === undefined) {
      return;
    }
    writer.write(outcome.line, outcome.position);
    this.hashInput += `${outcome.jsonPath} ${outcome.type} ${outcome.mode} ${outcome.digest}\n`;
    this.entries++;
    if (outcome.type === 'file') {
      this.files++;
      this.bytes += outcome.size;
    }
  }

  /** Returns the entry's outcome now when no read is needed, else a promise of it. */
  private resolve(
    entry: WalkedEntry,
    cached: ManifestLine | undefined,
  ): Outcome | Promise<Outcome | undefined> {
    const stamp = stampOf(entry.type, entry.stats);
    const digest = cached === undefined ? undefined : reusableDigest(cached, stamp);
    if (cached !== undefined && digest !== undefined) {
      if (entry.type === 'file' || entry.type === 'symlink') {
        this.reusedEntries++;
      }
      return {
        line: cached.line,
        jsonPath: cached.line.slice(1, cached.stampAt - 1),
        type: entry.type,
        mode: Number(entry.stats.mode) & 0o7777,
        size: Number(entry.stats.size),
        digest,
        position: cached.position,
      };
    }
    if (entry.type === 'dir' || entry.type === 'other') {
      return this.outcome(entry.path, entry.stats, '', null, true);
    }
    return this.readEntry(entry);
  }

  /** Reads a file or symlink, again while it changes under the read, up to {@link READ_ATTEMPTS}. */
  private async readEntry(entry: WalkedEntry): Promise<Outcome | undefined> {
    let stats = entry.stats;
    let result: EntryDigest | ChangedDuringRead | undefined;
    for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
      result = await this.digest(entry, stats);
      if (!('changed' in result)) {
        this.readEntries++;
        this.readBytes += Number(result.stats.size);
        const linkTarget = result.linkTarget ?? null;
        return this.outcome(entry.path, result.stats, result.digest, linkTarget, true);
      }
      if (result.stats === undefined || entryType(result.stats) !== entry.type) {
        return undefined;
      }
      stats = result.stats;
    }
    this.unstable.push(entry.path);
    return this.outcome(entry.path, stats, result?.digest ?? '', null, false);
  }

  private async digest(
    entry: WalkedEntry,
    stats: BigIntStats,
  ): Promise<EntryDigest | ChangedDuringRead> {
    if (entry.type === 'symlink') {
      return digestSymlink(entry.absolutePath, stats);
    }
    const buffer = this.buffers.pop() ?? Buffer.allocUnsafe(READ_BUFFER_SIZE);
    try {
      return await digestFile(entry.absolutePath, stats, buffer);
    } finally {
      this.buffers.push(buffer);
    }
  }

  private outcome(
    path: string,
    stats: BigIntStats,
    digest: string,
    linkTarget: string | null,
    stable: boolean,
  ): Outcome {
    const type = entryType(stats) ?? 'other';
    const racy = stats.mtimeNs >= this.racyAfterNs || stats.ctimeNs >= this.racyAfterNs;
    const trusted = stable && !racy;
    return {
      line: encodeLine(path, stampOf(type, stats), trusted, digest, linkTarget),
      jsonPath: JSON.stringify(path),
      type,
      mode: Number(stats.mode) & 0o7777,
      size: Number(stats.size),
      digest,
    };
  }
}

async function* readEntries(file: string, under: readonly string[] | undefined) {
  for await (const record of readManifest(file)) {
    if (under === undefined || under.some((source) => isUnder(record.path, source))) {
      yield toContextEntry(record);
    }
  }
}
