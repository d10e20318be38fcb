/**
 * One run of {@link digestContext}: a window of reads in flight, passed to the
 * manifest output in walk order, with the run's counters.
 */
import type { BigIntStats } from 'node:fs';
import type { EntryType } from './context-entry.js';
import type { ContextDigest } from './digest-context.js';
import {
  type ChangedDuringRead,
  digestFile,
  digestSymlink,
  type EntryDigest,
} from './file-digest.js';
import type { ManifestCursor } from './manifest-cursor.js';
import { readManifestEntries } from './manifest-entries.js';
import type { ManifestOutput } from './manifest-output.js';
import { entryFlags, type Segment, type SegmentEntry, TRUSTED } from './manifest-segment.js';
import { packStats, sameStatWords } from './stat-fields.js';
import { entryType, joinPath, type WalkBatch, type WalkFrame } from './walk-context.js';

/** Attempts at reading an entry that changes under the read before it is reported. */
const READ_ATTEMPTS = 3;
const READ_BUFFER_SIZE = 256 * 1024;
/**
 * Outcomes the window may contain behind a read in flight before the walk
 * waits for it. The walk goes on stat'ing meanwhile, and memory stays bounded.
 */
const READ_AHEAD = 256;

/** An entry reused from the previous manifest while reads ahead of it are in flight. */
interface CachedOutcome {
  readonly frame: WalkFrame;
  readonly segment: Segment;
  readonly index: number;
}

/** An entry stat or read in this run. */
interface NewOutcome {
  readonly frame: WalkFrame;
  readonly entry: SegmentEntry & { readonly line: string };
  readonly type: EntryType;
  readonly size: number;
}

type Outcome = CachedOutcome | NewOutcome;

/** @internal */
export class DigestRun {
  private readonly concurrency: number;
  /** Outcomes in walk order; a promise while its entry is being read, undefined if it vanished. */
  private readonly window: (Outcome | undefined | Promise<NewOutcome | undefined>)[] = [];
  private readonly buffers: Buffer[] = [];
  /** Entries changed at or after this time (ns since the epoch) are not trusted next run. */
  private readonly racyAfterNs: bigint;
  private readonly unstable: string[] = [];
  private digest = '';
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

  /** Digests every walked entry and passes the outcomes to `output` in walk order. */
  async process(
    batches: AsyncIterable<WalkBatch>,
    cursor: ManifestCursor,
    output: ManifestOutput,
  ): Promise<void> {
    try {
      for await (const batch of batches) {
        for (let index = 0; index < batch.length; index++) {
          // processEntry returns a promise only when the window is full, so most entries cost no await.
          const full = this.processEntry(batch, index, cursor, output);
          if (full !== undefined) {
            await full;
          }
        }
      }
      await this.emitReady(output, 1);
      this.digest = output.finish();
    } finally {
      await Promise.allSettled(this.window);
    }
  }

  /** Returns the outcome once {@link process} has finished. */
  result(manifestFile: string): ContextDigest {
    return {
      digest: this.digest,
      manifestFile,
      entries: this.entries,
      files: this.files,
      bytes: this.bytes,
      readEntries: this.readEntries,
      readBytes: this.readBytes,
      reusedEntries: this.reusedEntries,
      unstable: this.unstable,
      read: (filter) => readManifestEntries(manifestFile, filter?.under),
    };
  }

  /**
   * Reuses the entry's stored digest when the previous manifest has it,
   * trusted, with equal `lstat` fields; else stats or reads it again. Returns
   * a promise to wait for when the window is full.
   */
  private processEntry(
    batch: WalkBatch,
    index: number,
    cursor: ManifestCursor,
    output: ManifestOutput,
  ): Promise<void> | undefined {
    const frame = batch.frames[index] as WalkFrame;
    const name = batch.names[index] as string;
    const stats = batch.stats[index] as BigIntStats;
    const type = batch.types[index] as EntryType;
    const cachedIndex = cursor.find(frame, name);
    const segment = cursor.segment;
    if (cachedIndex >= 0 && segment !== undefined && isReusable(segment, cachedIndex, stats)) {
      this.countReused(type, stats);
      if (this.window.length === 0) {
        output.addCached(frame, segment, cachedIndex);
        return undefined;
      }
      this.window.push({ frame, segment, index: cachedIndex });
      return this.window.length >= READ_AHEAD ? this.emitReady(output, READ_AHEAD) : undefined;
    }
    const pending = this.resolve(frame, name, type, stats);
    if (!(pending instanceof Promise) && this.window.length === 0) {
      this.emit(output, pending);
      return undefined;
    }
    if (pending instanceof Promise) {
      pending.catch(() => undefined);
    }
    this.window.push(pending);
    return this.emitReady(output, this.concurrency);
  }

  private countReused(type: EntryType, stats: BigIntStats): void {
    this.entries++;
    if (type === 'file' || type === 'symlink') {
      this.reusedEntries++;
    }
    if (type === 'file') {
      this.files++;
      this.bytes += Number(stats.size);
    }
  }

  /** Passes finished outcomes from the head of the window, waiting while it contains `limit` or more. */
  private async emitReady(output: ManifestOutput, limit: number): Promise<void> {
    while (this.window.length > 0) {
      const head = this.window[0];
      if (head instanceof Promise && this.window.length < limit) {
        return;
      }
      this.window.shift();
      this.emit(output, head instanceof Promise ? await head : head);
    }
  }

  private emit(output: ManifestOutput, outcome: Outcome | undefined): void {
    if (outcome === undefined) {
      return;
    }
    if ('segment' in outcome) {
      output.addCached(outcome.frame, outcome.segment, outcome.index);
      return;
    }
    output.addNew(outcome.frame, outcome.entry);
    this.entries++;
    if (outcome.type === 'file') {
      this.files++;
      this.bytes += outcome.size;
    }
  }

  /** Returns the entry's outcome now when no read is needed, else a promise of it. */
  private resolve(
    frame: WalkFrame,
    name: string,
    type: EntryType,
    stats: BigIntStats,
  ): NewOutcome | Promise<NewOutcome | undefined> {
    if (type === 'dir' || type === 'other') {
      return this.outcome(frame, name, stats, '', null, true);
    }
    return this.readEntry(frame, name, type, stats);
  }

  /** Reads a file or symlink, again while it changes under the read, up to {@link READ_ATTEMPTS}. */
  private async readEntry(
    frame: WalkFrame,
    name: string,
    type: EntryType,
    walkStats: BigIntStats,
  ): Promise<NewOutcome | undefined> {
    const absolutePath = `${frame.absoluteFolder}/${name}`;
    let stats = walkStats;
    let result: EntryDigest | ChangedDuringRead | undefined;
    for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
      result = await this.digestEntry(absolutePath, type, stats);
      if (!('changed' in result)) {
        this.readEntries++;
        this.readBytes += Number(result.stats.size);
        const linkTarget = result.linkTarget ?? null;
        return this.outcome(frame, name, result.stats, result.digest, linkTarget, true);
      }
      if (result.stats === undefined || entryType(result.stats) !== type) {
        return undefined;
      }
      stats = result.stats;
    }
    this.unstable.push(joinPath(frame.folder, name));
    return this.outcome(frame, name, stats, result?.digest ?? '', null, false);
  }

  private async digestEntry(
    absolutePath: string,
    type: EntryType,
    stats: BigIntStats,
  ): Promise<EntryDigest | ChangedDuringRead> {
    if (type === 'symlink') {
      return digestSymlink(absolutePath, stats);
    }
    const buffer = this.buffers.pop() ?? Buffer.allocUnsafe(READ_BUFFER_SIZE);
    try {
      return await digestFile(absolutePath, stats, buffer);
    } finally {
      this.buffers.push(buffer);
    }
  }

  private outcome(
    frame: WalkFrame,
    name: string,
    stats: BigIntStats,
    digest: string,
    linkTarget: string | null,
    stable: boolean,
  ): NewOutcome {
    const type = entryType(stats) ?? 'other';
    const racy = stats.mtimeNs >= this.racyAfterNs || stats.ctimeNs >= this.racyAfterNs;
    const mode = Number(stats.mode) & 0o7777;
    const path = JSON.stringify(joinPath(frame.folder, name));
    const entry = {
      name,
      stats: packStats(stats).slice(),
      flags: entryFlags(type, stable && !racy),
      line: `${path} ${type} ${mode} ${digest}\n`,
      target: type === 'symlink' ? linkTarget : null,
    };
    return { frame, entry, type, size: Number(stats.size) };
  }
}

/** Returns whether entry `index` of a stored segment is trusted and has the fields of `stats`. */
function isReusable(segment: Segment, index: number, stats: BigIntStats): boolean {
  const trusted = ((segment.flags[index] as number) & TRUSTED) !== 0;
  return trusted && sameStatWords(segment.stats, index, packStats(stats));
}
