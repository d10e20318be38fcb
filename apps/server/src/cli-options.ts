/**
 * The `gantry-server` command's option values, read into server options.
 * Every message names the flag as the user typed it, the value and the fix.
 */
import { readFileSync } from 'node:fs';
import { ServerError } from './errors.js';

/** Pino's level names, which `--log-level` takes. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

const MAX_PORT = 65_535;

/**
 * Reads the token from the first line of `file`, or from `GANTRY_SERVER_TOKEN`
 * without a file.
 *
 * @throws {ServerError} `ERR_CONFIG` when the file cannot be read or its first line is empty.
 */
export function readToken(
  file: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (file === undefined) return env.GANTRY_SERVER_TOKEN || undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ServerError(
      'ERR_CONFIG',
      `Cannot read --token-file ${JSON.stringify(file)} (${reason}); write the token to that ` +
        'file, or set GANTRY_SERVER_TOKEN in its place.',
      { cause: error },
    );
  }
  const token = text.split('\n')[0]?.trim() ?? '';
  if (token === '') {
    throw new ServerError(
      'ERR_CONFIG',
      `Invalid --token-file ${JSON.stringify(file)}: its first line is empty; write the token ` +
        'there, such as the output of `openssl rand -hex 32`.',
    );
  }
  return token;
}

const SIZE = /^(\d+)([kmg]?)$/i;
const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/**
 * Reads a size flag such as `--max-context-size`: bytes, or a number with
 * `k`, `m` or `g` (powers of 1024).
 *
 * @throws {ServerError} `ERR_CONFIG` for another form or a size of 0.
 */
export function readSize(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = SIZE.exec(value);
  const bytes =
    match === null ? 0 : Number(match[1]) * (UNITS[(match[2] ?? '').toLowerCase()] ?? 1);
  if (bytes < 1) {
    throw new ServerError(
      'ERR_CONFIG',
      `Invalid ${flag} ${JSON.stringify(value)}: expected a positive number of ` +
        'bytes, or one with k, m or g such as 512m.',
    );
  }
  return bytes;
}

/** Smallest `--keep-output`: 1 MiB. */
export const MIN_KEPT_OUTPUT_BYTES = 1024 ** 2;

/**
 * Reads `--keep-output`, a size of at least 1 MiB. With less, a client that
 * reads at full speed can fall more than the kept half behind a build that
 * prints quickly, and then loses its stream.
 *
 * @throws {ServerError} `ERR_CONFIG` for an invalid or smaller size.
 */
export function readKeptOutput(value: string | undefined): number | undefined {
  const bytes = readSize('--keep-output', value);
  if (bytes === undefined || bytes >= MIN_KEPT_OUTPUT_BYTES) return bytes;
  throw new ServerError(
    'ERR_CONFIG',
    `Invalid --keep-output ${JSON.stringify(value)}: expected at least 1m, because with less ` +
      'a client that reads at full speed can fall behind a build that prints quickly.',
  );
}

/**
 * Reads `--port`: 0 (a free port) to 65535.
 *
 * @throws {ServerError} `ERR_CONFIG` for anything else.
 */
export function readPort(value: string): number {
  const port = readCount('--port', value, 0);
  if (port <= MAX_PORT) return port;
  throw new ServerError(
    'ERR_CONFIG',
    `Invalid --port ${JSON.stringify(value)}: expected a TCP port from 0 to ${MAX_PORT}, ` +
      'where 0 picks a free one.',
  );
}

/**
 * Reads a count flag such as `--max-builds`, unless it is unset.
 *
 * @throws {ServerError} `ERR_CONFIG` for a value that is not a whole number of at least `min`.
 */
export function readOptionalCount(
  flag: string,
  value: string | undefined,
  min: number,
): number | undefined {
  return value === undefined ? undefined : readCount(flag, value, min);
}

function readCount(flag: string, value: string, min: number): number {
  const count = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (Number.isSafeInteger(count) && count >= min) return count;
  throw new ServerError(
    'ERR_CONFIG',
    `Invalid ${flag} ${JSON.stringify(value)}: expected a whole number of at least ${min}.`,
  );
}

/**
 * Reads `--log-level`, one of {@link LOG_LEVELS}.
 *
 * @throws {ServerError} `ERR_CONFIG` for another name.
 */
export function readLogLevel(value: string | undefined): string {
  if (value === undefined) return 'info';
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value;
  throw new ServerError(
    'ERR_CONFIG',
    `Invalid --log-level ${JSON.stringify(value)}: expected one of ${LOG_LEVELS.join(', ')}.`,
  );
}
