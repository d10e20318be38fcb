import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Returns the folder of BuildKit's reference cases: `$GANTRY_CONFORMANCE_DIR`, or else
 * `shared/conformance` beside the repository's root folder.
 */
export function conformanceDir(): string {
  const fromEnvironment = process.env.GANTRY_CONFORMANCE_DIR;
  if (fromEnvironment !== undefined && fromEnvironment !== '') {
    return resolve(fromEnvironment);
  }
  const conformanceFolder = dirname(fileURLToPath(import.meta.url));
  return resolve(conformanceFolder, '../../../../shared/conformance');
}
