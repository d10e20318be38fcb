/** Newest Engine API version this client is written for. */
export const CLIENT_MAX_API_VERSION = '1.45';

/** Oldest Engine API version this client supports (Engine 19.03). */
export const CLIENT_MIN_API_VERSION = '1.40';

/**
 * Picks the API version to speak: the lower of the client's maximum and the
 * engine's own version. Returns `undefined` when the engine is older than
 * {@link CLIENT_MIN_API_VERSION}.
 *
 * @example negotiateApiVersion('1.41') // '1.41'
 * @example negotiateApiVersion('1.47') // '1.45'
 */
export function negotiateApiVersion(
  engineVersion: string,
  clientMax = CLIENT_MAX_API_VERSION,
): string | undefined {
  const chosen = compareApiVersions(engineVersion, clientMax) < 0 ? engineVersion : clientMax;
  return compareApiVersions(chosen, CLIENT_MIN_API_VERSION) < 0 ? undefined : chosen;
}

/** Compares two `MAJOR.MINOR` API versions numerically; negative when `a` is older. */
export function compareApiVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor === bMajor ? aMinor - bMinor : aMajor - bMajor;
}
