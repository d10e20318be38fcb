/** docker build's `--ulimit name=soft[:hard]`, read into the builder's ulimits. */
import type { Ulimit } from '@gantry/builder';
import { suggestName } from '@gantry/dockerfile';
import { UsageError } from '../usage-error.js';

/** Limit names that the docker CLI 20.10 takes, from `RLIMIT_CORE` to `RLIMIT_STACK`. */
const ULIMIT_NAMES = [
  'core',
  'cpu',
  'data',
  'fsize',
  'locks',
  'memlock',
  'msgqueue',
  'nice',
  'nofile',
  'nproc',
  'rss',
  'rtprio',
  'rttime',
  'sigpending',
  'stack',
] as const;

const FORM = '; write name=soft[:hard], such as nofile=1024:2048';

/**
 * Reads `--ulimit` values as the docker CLI 20.10 does: a hard limit defaults
 * to the soft one, -1 is unlimited, and a later value for the same name
 * replaces an earlier one. The limits are sorted by name, as the CLI sends them.
 *
 * @throws UsageError for a value the docker CLI rejects, naming it and the form to use.
 */
export function readUlimits(values: readonly string[]): Ulimit[] {
  const byName = new Map<string, Ulimit>();
  for (const value of values) {
    const ulimit = readUlimit(value);
    byName.set(ulimit.name, ulimit);
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function readUlimit(value: string): Ulimit {
  const equals = value.indexOf('=');
  if (equals === -1) throw invalidUlimit(value, FORM);
  const name = value.slice(0, equals);
  if (!(ULIMIT_NAMES as readonly string[]).includes(name)) {
    const nearest = suggestName(name, ULIMIT_NAMES);
    const hint = nearest === undefined ? '' : `; did you mean ${nearest}?`;
    throw invalidUlimit(
      value,
      `: unknown limit name ${JSON.stringify(name)}; use one of ${ULIMIT_NAMES.join(', ')}${hint}`,
    );
  }
  const limits = value.slice(equals + 1).split(':');
  if (limits.length > 2) throw invalidUlimit(value, FORM);
  const soft = readLimit(value, limits[0] ?? '');
  const hard = limits[1] === undefined ? soft : readLimit(value, limits[1]);
  checkOrder(value, soft, hard);
  return { name, soft, hard };
}

/**
 * Reads one limit, a base-10 integer with an optional sign as Go's
 * `strconv.ParseInt` reads it.
 * NOTE: docker takes limits up to 2^63-1, but a JavaScript number is exact
 * only up to 2^53-1, so larger limits are rejected.
 */
function readLimit(value: string, limit: string): number {
  if (!/^[+-]?\d+$/.test(limit)) {
    throw invalidUlimit(value, `: ${JSON.stringify(limit)} is not a whole number${FORM}`);
  }
  const number = Number(limit);
  if (!Number.isSafeInteger(number)) {
    throw invalidUlimit(
      value,
      `: ${limit} is out of range; write a limit up to ${Number.MAX_SAFE_INTEGER}, or -1 for unlimited`,
    );
  }
  return number;
}

/** Rejects a soft limit above the hard limit, where -1 is unlimited, as the docker CLI does. */
function checkOrder(value: string, soft: number, hard: number): void {
  if (hard === -1) return;
  if (soft === -1 || soft > hard) {
    const softText = soft === -1 ? '-1 (unlimited)' : String(soft);
    throw invalidUlimit(
      value,
      `: the soft limit ${softText} is above the hard limit ${hard}; write a soft limit at most the hard one`,
    );
  }
}

/** Creates the error for `value`, followed by `detail`, which starts with `:` or `;`. */
function invalidUlimit(value: string, detail: string): UsageError {
  return new UsageError(`Invalid --ulimit value ${JSON.stringify(value)}${detail}`, 'build');
}
