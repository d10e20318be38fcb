/** WORKDIR paths, as the classic builder resolves them on Linux. */
import { posix } from 'node:path';

/** Resolves a WORKDIR value against the current working folder and cleans it. */
export function normalizeWorkdir(current: string, requested: string): string {
  if (posix.isAbsolute(requested)) return posix.normalize(requested).replace(/(.)\/$/, '$1');
  const base = current === '' ? '/' : current;
  return posix.join(base, requested).replace(/(.)\/$/, '$1');
}
