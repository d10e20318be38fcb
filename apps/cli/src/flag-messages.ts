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
