/** Messages for command-line errors that Node's `parseArgs` raises. */
import { suggestName } from '@gantry/dockerfile';

/**
 * Rewrites Node's `Unknown option '--tagg'` message as docker's `unknown flag:
 * --tagg`, with the nearest of `names` (flag names without dashes) when one
 * is close. Returns undefined for any other message.
 */
export function unknownFlagMessage(message: string, names: readonly string[]): string | undefined {
  const unknown = /^Unknown option '(-{1,2}[^'=]+)/.exec(message)?.[1];
  if (unknown === undefined) return undefined;
  const nearest = suggestName(unknown.replace(/^-+/, ''), names);
  const hint = nearest === undefined ? '' : `; did you mean --${nearest}?`;
  return `unknown flag: ${unknown}${hint}`;
}

/**
 * Flags of `docker build` (20.10, and buildx's that scripts pass to it) that
 * gantry does not take. Their message names them as such rather than as
 * unknown flags.
 */
const DOCKER_ONLY_FLAGS = new Set([
  'allow',
  'builder',
  'cache-from',
  'cache-to',
  'compress',
  'disable-content-trust',
  'load',
  'output',
  'push',
  'secret',
  'squash',
  'ssh',
  'stream',
]);

/**
 * Returns the message for a `docker build` flag that gantry does not take,
 * or undefined when `message` is about another flag.
 */
export function dockerOnlyFlagMessage(message: string): string | undefined {
  const flag = /^Unknown option '--([^'=]+)/.exec(message)?.[1];
  if (flag === undefined || !DOCKER_ONLY_FLAGS.has(flag)) return undefined;
  return `--${flag} is a docker build flag that gantry build does not support; leave it out`;
}
