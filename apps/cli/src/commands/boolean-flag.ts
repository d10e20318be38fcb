/** The value of a boolean flag given as `--flag=value`. */
import { UsageError } from '../usage-error.js';

/**
 * Reads a boolean flag's value with the rules of Go's strconv.ParseBool,
 * which spf13/pflag, the docker CLI's flag parser, applies.
 *
 * @throws UsageError for a value that is neither true nor false.
 */
export function readBoolean(flag: string, value: string): boolean {
  const parsed = parseBoolean(value);
  if (parsed !== undefined) return parsed;
  throw new UsageError(
    `Invalid ${flag} value ${JSON.stringify(value)}; use true or false, or the flag alone for true`,
    'build',
  );
}

/** Returns the boolean a word stands for in Go's strconv.ParseBool, or undefined for another word. */
export function parseBoolean(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}
