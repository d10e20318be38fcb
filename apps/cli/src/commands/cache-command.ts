/** `gantry cache ls|prune|stats`: the layer cache on disk. */
import { parseArgs } from 'node:util';
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
  if (action === 'ls') return listEntries(store);
  if (action === 'stats') {
    const stats = await store.stats();
    process.stdout.write(
      `entries: ${stats.entries}\nimages size: ${stats.totalSize} B\nstore size: ${stats.storeBytes} B\nfolder: ${store.folder}\n`,
    );
    return 0;
  }
  if (action === 'prune') {
    const policy = prunePolicy(values);
    const removed = await store.prune(policy);
    process.stdout.write(`removed ${removed.length} cache entries\n`);
    return 0;
  }
  throw new UsageError(
    `unknown cache command ${JSON.stringify(action)}; use ls, prune or stats`,
    'cache',
  );
}

async function listEntries(store: {
  list(): AsyncIterable<{
    key: string;
    imageId: string;
    size: number;
    lastUsedAt: number;
    stepText: string;
  }>;
}) {
  process.stdout.write('KEY          IMAGE        SIZE       LAST USED                 STEP\n');
  for await (const entry of store.list()) {
    const key = entry.key.slice(7, 19);
    const image = entry.imageId.replace(/^sha256:/, '').slice(0, 12);
    const used = new Date(entry.lastUsedAt).toISOString();
    process.stdout.write(
      `${key} ${image} ${String(entry.size).padEnd(10)} ${used}  ${entry.stepText}\n`,
    );
  }
  return 0;
}

function readArguments(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      options: {
        'max-age': { type: 'string' },
        'max-entries': { type: 'string' },
        'max-size': { type: 'string' },
        all: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), 'cache', {
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
      'gantry cache prune needs --all, --max-age, --max-entries or --max-size',
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
