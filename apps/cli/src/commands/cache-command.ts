/** `gantry cache ls|prune|stats`: the layer cache on disk. */
import { parseArgs } from 'node:util';
import type { FileSystemStore } from '@gantry/cache';
import { listEntries, printStats, removedEntryKeys } from '../cache/cache-list.js';
import { unknownFlagMessage } from '../flag-messages.js';
import { CACHE_HELP } from '../help.js';
import { UsageError } from '../usage-error.js';

const UNITS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Runs `gantry cache` with the arguments after `cache`; returns the exit code. */
export async function runCache(argv: readonly string[]): Promise<number> {
  const { values, positionals } = readArguments(argv);
  const [action] = positionals;
  if (values.help === true || action === undefined) {
    process.stdout.write(CACHE_HELP);
    return action === undefined && values.help !== true ? 2 : 0;
  }
  const { FileSystemStore } = await import('@gantry/cache');
  const store = new FileSystemStore();
  if (action === 'ls') return listEntries(store, values.all === true);
  if (action === 'stats') return printStats(store);
  if (action === 'prune') {
    const removed =
      values.removed === true ? await pruneRemoved(store) : await store.prune(prunePolicy(values));
    process.stdout.write(`removed ${removed.length} cache entries\n`);
    return 0;
  }
  throw new UsageError(
    `unknown cache command ${JSON.stringify(action)}; use ls, prune or stats`,
    'cache',
  );
}

/** Removes the entries whose image is gone from the engine; returns their keys. */
async function pruneRemoved(store: FileSystemStore): Promise<string[]> {
  const keys = await removedEntryKeys(store);
  for (const key of keys) await store.delete(key);
  return keys;
}

const CACHE_OPTIONS = {
  'max-age': { type: 'string' },
  'max-entries': { type: 'string' },
  'max-size': { type: 'string' },
  all: { type: 'boolean' },
  removed: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function readArguments(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: CACHE_OPTIONS, allowPositionals: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const names = Object.keys(CACHE_OPTIONS);
    throw new UsageError(unknownFlagMessage(message, names) ?? message, 'cache', {
      cause: error,
    });
  }
}

function prunePolicy(values: Record<string, string | boolean | undefined>) {
  if (values.all === true) return { maxEntries: 0 };
  const policy: { maxAge?: number; maxEntries?: number; maxSize?: number } = {};
  if (typeof values['max-age'] === 'string') policy.maxAge = duration(values['max-age']);
  if (typeof values['max-entries'] === 'string')
    policy.maxEntries = count('--max-entries', values['max-entries']);
  if (typeof values['max-size'] === 'string')
    policy.maxSize = count('--max-size', values['max-size']);
  if (Object.keys(policy).length === 0) {
    throw new UsageError(
      'gantry cache prune needs --all, --removed, --max-age, --max-entries or --max-size',
      'cache',
    );
  }
  return policy;
}

function duration(text: string): number {
  const match = /^(\d+)([smhd])$/.exec(text);
  if (match === null) {
    throw new UsageError(
      `Invalid --max-age ${JSON.stringify(text)}; use a number and s, m, h or d, such as 24h`,
      'cache',
    );
  }
  return Number(match[1]) * (UNITS[match[2] ?? 's'] ?? 1000);
}

function count(flag: string, text: string): number {
  if (!/^\d+$/.test(text))
    throw new UsageError(`Invalid ${flag} ${JSON.stringify(text)}; use a whole number`, 'cache');
  return Number(text);
}
