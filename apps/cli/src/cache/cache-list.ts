/** `gantry cache ls` and `gantry cache stats`: the cache entries, checked against the engine. */
import type { CacheEntrySummary, FileSystemStore } from '@gantry/cache';
import { addedSize, type EngineImages, listEngineImages } from './engine-images.js';

const HEADER = 'KEY          IMAGE        SIZE       LAST USED                 STEP\n';

/**
 * Prints the entries whose image still exists, or every entry with `all`,
 * marking those whose image is gone as `<removed>`. Without an engine, every
 * entry is printed unchecked, with a note on standard error.
 */
export async function listEntries(store: FileSystemStore, all: boolean): Promise<number> {
  const [entries, engine] = await Promise.all([readEntries(store), listEngineImages()]);
  warnUnchecked(engine);
  process.stdout.write(HEADER);
  let hidden = 0;
  for (const entry of entries) {
    const removed = engine.images !== undefined && !engine.images.has(entry.imageId);
    if (removed && !all) hidden++;
    else process.stdout.write(entryLine(entry, removed));
  }
  if (hidden > 0) {
    process.stderr.write(
      `${hidden} entries whose image was removed from the engine are not listed; 'gantry cache ls --all' lists them, 'gantry cache prune --removed' removes them\n`,
    );
  }
  return 0;
}

/** Prints the counts and sizes of the cache. */
export async function printStats(store: FileSystemStore): Promise<number> {
  const [entries, stats, engine] = await Promise.all([
    readEntries(store),
    store.stats(),
    listEngineImages(),
  ]);
  warnUnchecked(engine);
  const lines = [`entries: ${stats.entries}`];
  if (engine.images !== undefined) {
    const existing = entries.filter((entry) => engine.images.has(entry.imageId));
    const imageIds = new Set(existing.map((entry) => entry.imageId));
    lines.push(`entries whose image was removed: ${entries.length - existing.length}`);
    lines.push(`images: ${imageIds.size}`);
    lines.push(`images size: ${addedSize(imageIds, engine.images)} B`);
  }
  lines.push(`store size: ${stats.storeBytes} B`, `folder: ${store.folder}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/** Returns the keys of the entries whose image is gone from the engine. */
export async function removedEntryKeys(store: FileSystemStore): Promise<string[]> {
  const [entries, engine] = await Promise.all([readEntries(store), listEngineImages()]);
  if (engine.images === undefined) {
    throw new Error(`Cannot tell which cache images were removed: ${engine.problem}`);
  }
  return entries.filter((entry) => !engine.images.has(entry.imageId)).map((entry) => entry.key);
}

async function readEntries(store: FileSystemStore): Promise<CacheEntrySummary[]> {
  const entries: CacheEntrySummary[] = [];
  for await (const entry of store.list()) entries.push(entry);
  return entries;
}

function entryLine(entry: CacheEntrySummary, removed: boolean): string {
  const key = entry.key.slice(7, 19);
  const image = removed ? '<removed>   ' : entry.imageId.replace(/^sha256:/, '').slice(0, 12);
  const used = new Date(entry.lastUsedAt).toISOString();
  return `${key} ${image} ${String(entry.size).padEnd(10)} ${used}  ${entry.stepText}\n`;
}

function warnUnchecked(engine: EngineImages): void {
  if (engine.problem === undefined) return;
  process.stderr.write(
    `gantry: cannot list the engine's images (${engine.problem}); entries are shown without checking them\n`,
  );
}
