/**
 * docker build's `--security-opt` and `--isolation`: settings of Windows
 * containers, which Docker Engine 20.10 on Linux rejects for a build.
 */
import { UsageError } from '../usage-error.js';

/**
 * Checks `--security-opt`. The docker CLI reads each value as comma-separated
 * entries and sends none for an empty value. Engine 20.10 on Linux rejects
 * any entry with `The daemon on this platform does not support setting
 * security options on build`, so gantry rejects it before the build, as a
 * usage error.
 *
 * @throws UsageError for a value with an entry.
 */
export function checkSecurityOpts(values: readonly string[]): void {
  const value = values.find((item) => item !== '');
  if (value === undefined) return;
  throw new UsageError(
    `Invalid --security-opt value ${JSON.stringify(value)}: the classic builder of Docker Engine on Linux does not support security options on build, and neither does gantry; leave --security-opt out`,
    'build',
  );
}

/**
 * Checks `--isolation`. On Linux, the engine takes only `default`, in any
 * case, and an empty value, which the docker CLI leaves out of the request.
 *
 * @throws UsageError for another value, as the engine's `Unsupported isolation`.
 */
export function checkIsolation(value: string | undefined): void {
  if (value === undefined || value === '' || value.toLowerCase() === 'default') return;
  throw new UsageError(
    `Invalid --isolation value ${JSON.stringify(value)}: unsupported isolation on Linux; leave --isolation out or write default`,
    'build',
  );
}
