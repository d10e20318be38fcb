import { suggestName } from '../suggest.js';
import { type FlagResult, invalidValue, parsed } from './errors.js';

/** RUN's `--network`: the network the command runs in. */
export type NetworkMode = 'default' | 'none' | 'host';

/** RUN's `--security`: `insecure` runs the command with elevated privileges. */
export type SecurityMode = 'sandbox' | 'insecure';

const NETWORK_MODES: readonly NetworkMode[] = ['default', 'none', 'host'];
const SECURITY_MODES: readonly SecurityMode[] = ['sandbox', 'insecure'];

/**
 * Parses `--network`. Docker uses `default` when the flag is absent, but rejects an
 * empty value.
 */
export function parseNetwork(text: string): FlagResult<NetworkMode> {
  return parseChoice('network', text, NETWORK_MODES, '--network=none');
}

/**
 * Parses `--security`. Docker uses `sandbox` when the flag is absent, but rejects an
 * empty value.
 */
export function parseSecurity(text: string): FlagResult<SecurityMode> {
  return parseChoice('security', text, SECURITY_MODES, '--security=insecure');
}

function parseChoice<T extends string>(
  flag: string,
  text: string,
  choices: readonly T[],
  example: string,
): FlagResult<T> {
  if ((choices as readonly string[]).includes(text)) {
    return parsed(text as T);
  }
  return invalidValue({
    flag,
    value: text,
    expected: `one of ${choices.join(', ')}`,
    example,
    suggestion: suggestName(text, choices),
  });
}
