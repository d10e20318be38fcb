/** The resource parameters of `POST /build`, read into the builder's `runContainer` settings. */
import type { RunContainerSettings, Ulimit } from '@gantry/builder';
import { invalidParameter, quoteValue, ServerError } from './errors.js';

/**
 * Reads the resource parameters that the docker CLI sends for `--add-host`,
 * `--memory`, `--cgroup-parent`, `--ulimit` and the like. The engine checks
 * the ranges, such as a `cpuperiod` from 1000 to 1000000, when it creates
 * the first RUN container, and the build's log shows its message.
 *
 * @throws {ServerError} `ERR_INVALID_PARAMETER`, naming the parameter.
 */
export function runContainerOf(query: URLSearchParams): RunContainerSettings | undefined {
  const extraHosts = query.getAll('extrahosts').filter((host) => host !== '');
  const settings: RunContainerSettings = {
    extraHosts: extraHosts.length === 0 ? undefined : extraHosts,
    shmSize: readInteger(query, 'shmsize', 'bytes'),
    memory: readInteger(query, 'memory', 'bytes'),
    memorySwap: readInteger(query, 'memswap', 'bytes'),
    cpuShares: readInteger(query, 'cpushares', 'shares'),
    cpusetCpus: emptyToUndefined(query.get('cpusetcpus')),
    cpusetMems: emptyToUndefined(query.get('cpusetmems')),
    cpuPeriod: readInteger(query, 'cpuperiod', 'microseconds'),
    cpuQuota: readInteger(query, 'cpuquota', 'microseconds'),
    cgroupParent: emptyToUndefined(query.get('cgroupparent')),
    ulimits: readUlimits(query.get('ulimits')),
  };
  const anySet = Object.values(settings).some((value) => value !== undefined);
  return anySet ? settings : undefined;
}

/**
 * Rejects `securityopt` and an `isolation` other than `default`, as Docker
 * Engine 20.10 on Linux rejects them for a build. The engine rejects
 * `securityopt` whatever its value, even an empty one. The docker CLI
 * sends neither parameter unless `--security-opt` or `--isolation` is given.
 *
 * @throws {ServerError} `ERR_UNSUPPORTED_PARAMETER`, naming the parameter.
 */
export function checkWindowsOnly(query: URLSearchParams): void {
  const securityOpt = query.get('securityopt');
  if (securityOpt !== null) {
    throw new ServerError(
      'ERR_UNSUPPORTED_PARAMETER',
      `Unsupported securityopt ${quoteValue(securityOpt)}: Docker Engine on Linux does not ` +
        'support setting security options on build, and neither does gantry; leave securityopt out.',
      { parameter: 'securityopt' },
    );
  }
  const isolation = query.get('isolation') ?? '';
  if (isolation === '' || isolation.toLowerCase() === 'default') return;
  throw new ServerError(
    'ERR_UNSUPPORTED_PARAMETER',
    `Unsupported isolation ${quoteValue(isolation)}: on Linux the only isolation is default; ` +
      'leave isolation unset or send default.',
    { parameter: 'isolation' },
  );
}

/** Reads an integer parameter; empty and 0 mean unset, as in the engine. */
function readInteger(query: URLSearchParams, parameter: string, unit: string): number | undefined {
  const value = query.get(parameter);
  if (value === null || value === '' || value === '0') return undefined;
  if (/^-?\d+$/.test(value) && Number.isSafeInteger(Number(value))) return Number(value);
  throw invalidParameter(
    parameter,
    `Invalid ${parameter} ${quoteValue(value)}: expected a whole number of ${unit}.`,
  );
}

const ULIMITS_FORM = 'expected a JSON array such as [{"Name":"nofile","Soft":1024,"Hard":2048}]';

/**
 * Reads `ulimits`, the JSON array the docker CLI sends for `--ulimit`. Empty,
 * `null` and `[]` set no ulimits. As the engine decodes it with Go's
 * `encoding/json`, field names match in any case and a missing limit is 0.
 * The engine's runtime rejects an unknown name when the RUN step starts.
 */
function readUlimits(value: string | null): Ulimit[] | undefined {
  if (value === null || value === '' || value === 'null') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw invalidParameter('ulimits', `Invalid ulimits: ${ULIMITS_FORM}.`, error);
  }
  if (!Array.isArray(parsed))
    throw invalidParameter('ulimits', `Invalid ulimits: ${ULIMITS_FORM}.`);
  const ulimits = parsed.map(readUlimit);
  return ulimits.length === 0 ? undefined : ulimits;
}

function readUlimit(entry: unknown): Ulimit {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw invalidParameter(
      'ulimits',
      `Invalid ulimits entry ${quoteEntry(entry)}: ${ULIMITS_FORM}.`,
    );
  }
  const name = fieldOf(entry, 'name') ?? '';
  const soft = fieldOf(entry, 'soft') ?? 0;
  const hard = fieldOf(entry, 'hard') ?? 0;
  const valid =
    typeof name === 'string' && Number.isSafeInteger(soft) && Number.isSafeInteger(hard);
  if (!valid) {
    throw invalidParameter(
      'ulimits',
      `Invalid ulimits entry ${quoteEntry(entry)}: expected a string Name and whole-number Soft ` +
        'and Hard limits, such as {"Name":"nofile","Soft":1024,"Hard":2048}.',
    );
  }
  return { name, soft: soft as number, hard: hard as number };
}

/** Returns the field whose name matches `name` in any case, as Go's `encoding/json` matches it. */
function fieldOf(entry: object, name: string): unknown {
  const key = Object.keys(entry).find((field) => field.toLowerCase() === name);
  return key === undefined ? undefined : (entry as Record<string, unknown>)[key];
}

function quoteEntry(entry: unknown): string {
  return quoteValue(JSON.stringify(entry) ?? String(entry));
}

function emptyToUndefined(value: string | null): string | undefined {
  return value === null || value === '' ? undefined : value;
}
