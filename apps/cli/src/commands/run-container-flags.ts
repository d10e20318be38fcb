/** docker build's resource flags, read into the builder's `runContainer` settings. */
import { isIP } from 'node:net';
import type { RunContainerSettings } from '@gantry/builder';
import { UsageError } from '../usage-error.js';

/** The flags as `parseArgs` returns them. */
export interface RunContainerFlags {
  readonly 'add-host'?: string[] | undefined;
  readonly 'shm-size'?: string | undefined;
  readonly memory?: string | undefined;
  readonly 'memory-swap'?: string | undefined;
  readonly 'cpu-shares'?: string | undefined;
  readonly 'cpuset-cpus'?: string | undefined;
}

const SIZE = /^(\d+(?:\.\d+)?) ?([kmgtp])?i?b?$/i;
const UNITS: Readonly<Record<string, number>> = { k: 1, m: 2, g: 3, t: 4, p: 5 };

/**
 * Reads `--add-host`, `--shm-size`, `--memory`, `--memory-swap`,
 * `--cpu-shares` and `--cpuset-cpus` as docker build does.
 *
 * @throws UsageError for a value docker would reject, naming it and the form to use.
 */
export function readRunContainer(flags: RunContainerFlags): RunContainerSettings | undefined {
  const settings: RunContainerSettings = {
    extraHosts: flags['add-host']?.map(checkHost),
    shmSize: optional(flags['shm-size'], (value) => readSize('--shm-size', value)),
    memory: optional(flags.memory, (value) => readSize('--memory', value)),
    memorySwap: optional(flags['memory-swap'], (value) =>
      value === '-1' ? -1 : readSize('--memory-swap', value),
    ),
    cpuShares: optional(flags['cpu-shares'], readShares),
    cpusetCpus: optional(flags['cpuset-cpus'], checkCpus),
  };
  const anySet = Object.values(settings).some((value) => value !== undefined);
  return anySet ? settings : undefined;
}

function optional<T>(value: string | undefined, read: (value: string) => T): T | undefined {
  return value === undefined ? undefined : read(value);
}

/**
 * Reads a size with docker's rules (go-units `RAMInBytes`): a number with an
 * optional binary unit, `b`, `k`, `m`, `g`, `t` or `p`, in either case, so
 * `512m` is 512 MiB and `1024` is 1024 bytes.
 */
export function readSize(flag: string, value: string): number {
  const match = SIZE.exec(value.trim());
  if (match === null) {
    throw new UsageError(
      `Invalid ${flag} value ${JSON.stringify(value)}; write a size such as 512m or 2g`,
      'build',
    );
  }
  const power = UNITS[(match[2] ?? '').toLowerCase()] ?? 0;
  return Math.floor(Number(match[1]) * 1024 ** power);
}

function readShares(value: string): number {
  if (/^\d+$/.test(value)) return Number(value);
  throw new UsageError(
    `Invalid --cpu-shares value ${JSON.stringify(value)}; write a whole number such as 512`,
    'build',
  );
}

function checkCpus(value: string): string {
  if (/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(value)) return value;
  throw new UsageError(
    `Invalid --cpuset-cpus value ${JSON.stringify(value)}; write CPU numbers such as 0-3 or 0,2`,
    'build',
  );
}

/** Checks an `--add-host` entry, `name:ip` or `name:host-gateway`, as docker does. */
function checkHost(value: string): string {
  const separator = value.indexOf(':');
  const name = separator < 0 ? value : value.slice(0, separator);
  const address = value.slice(separator + 1);
  const valid = separator > 0 && (address === 'host-gateway' || isIP(address) !== 0);
  if (valid) return value;
  throw new UsageError(
    `Invalid --add-host value ${JSON.stringify(value)}; write name:ip, such as ${name || 'db'}:10.0.0.5`,
    'build',
  );
}
