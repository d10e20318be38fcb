/** Checking `networkMode` before a build starts. */
import { suggestName } from '@gantry/dockerfile';
import { BuildError } from './errors.js';
import { NETWORK_MODES } from './options.js';

/**
 * Rejects a network mode that is not one of {@link NETWORK_MODES}, naming the
 * value, the valid modes and the nearest one.
 *
 * @throws BuildError with code `ERR_INVALID_NETWORK`.
 */
export function validateNetworkMode(mode: string | undefined): void {
  if (mode === undefined || (NETWORK_MODES as readonly string[]).includes(mode)) return;
  const nearest = suggestName(mode, NETWORK_MODES);
  const hint = nearest === undefined ? '' : `; did you mean ${JSON.stringify(nearest)}?`;
  throw new BuildError(
    'ERR_INVALID_NETWORK',
    `Invalid network mode ${JSON.stringify(mode)}: use one of ${NETWORK_MODES.join(', ')}${hint}`,
  );
}
