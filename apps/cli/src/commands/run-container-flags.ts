/** docker build's resource flags, read into the builder's `runContainer` settings. */
import { isIP } from 'node:net';
import type { RunContainerSettings } from '@gantry/builder';
import { UsageError } from '../usage-error.js';
import { readUlimits } from './ulimit-flag.js';

/** The flags as `parseArgs` returns them. */
export interface RunContainerFlags {
  readonly 'add-host'?: string[] | undefined;
  readonly 'shm-size'?: string | undefined;
  readonly memory?: string | undefined;
  readonly 'memory-swap'?: string | undefined;
  readonly 'cpu-shares'?: string | undefined;
  readonly 'cpuset-cpus'?: string | undefined;
  readonly 'cpuset-mems'?: string | undefined;
  readonly 'cpu-period'?: string | undefined;
  readonly 'cpu-quota'?: string | undefined;
  readonly 'cgroup-parent'?: string | undefined;
  readonly ulimit?: string[] | undefined;
}

const SIZE = /^(\d+(?:\.\d+)?) ?([kmgtp])?i?b?$/i;
const UNITS: Readonly<Record<string, number>> = { k: 1, m: 2, g: 3, t: 4, p: 5 };

/**
 * Reads `--add-host`, `--shm-size`, `--memory`, `--memory-swap`,
 * `--cpu-shares`, `--cpuset-cpus`, `--cpuset-mems`, `--cpu-period`,
 * `--cpu-quota`, `--cgroup-parent` and `--ulimit` as docker build does. The
 * engine checks the ranges, such as a CPU period from 1000 to 1000000
 * microseconds, when it creates the first RUN container.
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
    cpusetCpus: optional(emptyToUndefined(flags['cpuset-cpus']), (value) =>
      checkCpuList('--cpuset-cpus', value),
    ),
    cpusetMems: optional(emptyToUndefined(flags['cpuset-mems']), (value) =>
      checkCpuList('--cpuset-mems', value),
    ),
    cpuPeriod: optional(flags['cpu-period'], (value) => readMicroseconds('--cpu-period', value)),
    cpuQuota: optional(flags['cpu-quota'], (value) => readMicroseconds('--cpu-quota', value)),
    cgroupParent: emptyToUndefined(flags['cgroup-parent']),
    ulimits: flags.ulimit === undefined ? undefined : readUlimits(flags.ulimit),
  };
  const anySet = Object.values(settings).some((value) => value !== undefined);
  return anySet ? settings : undefined;
}

function optional<T>(value: string | undefined, read: (value: string) => T): T | undefined {
  return value === undefined ? undefined : read(value);
}

/** Returns undefined for an empty value, which docker build reads as an unset flag. */
function emptyToUndefined(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
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

/** Reads a whole number of microseconds as Go's `strconv.ParseInt` does: base 10, an optional sign. */
function readMicroseconds(flag: string, value: string): number {
  const number = Number(value);
  if (/^[+-]?\d+$/.test(value) && Number.isSafeInteger(number)) return number;
  throw new UsageError(
    `Invalid ${flag} value ${JSON.stringify(value)}; write a whole number of microseconds, such as 100000`,
    'build',
  );
}

/** Checks a list of CPU or memory node numbers, such as `0-3` or `0,2`. */
function checkCpuList(flag: string, value: string): string {
  if (/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(value)) return value;
  const itemName = flag === '--cpuset-mems' ? 'memory node' : 'CPU';
  throw new UsageError(
    `Invalid ${flag} value ${JSON.stringify(value)}; write ${itemName} numbers such as 0-3 or 0,2`,
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
