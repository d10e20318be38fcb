/** Finds a build's Dockerfile inside its extracted context. */
import { realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { invalidParameter, quoteValue } from './errors.js';

/**
 * Returns the absolute path of the Dockerfile `path` (relative to the
 * context), after checking that it is a file and, links followed, stays
 * inside the context. Otherwise a context could name a link to any file on
 * the server and get its text back in parse errors.
 *
 * @throws {ServerError} `ERR_INVALID_PARAMETER` for `dockerfile`.
 */
export async function resolveDockerfile(contextDir: string, path: string): Promise<string> {
  const root = await realpath(contextDir);
  let target: string;
  try {
    target = await realpath(join(root, path));
  } catch (error) {
    throw invalidParameter(
      'dockerfile',
      `Cannot find the dockerfile ${quoteValue(path)} in the build context; send it in the ` +
        'context tar, or set dockerfile to its path inside the context.',
      error,
    );
  }
  const inside = relative(root, target);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`)) {
    throw invalidParameter(
      'dockerfile',
      `Invalid dockerfile ${quoteValue(path)}: it is a link to a file outside the build context.`,
    );
  }
  if (!(await stat(target)).isFile()) {
    throw invalidParameter(
      'dockerfile',
      `Invalid dockerfile ${quoteValue(path)}: it is a folder of the build context, not a ` +
        'file; set dockerfile to the path of the file, such as "docker/app.Dockerfile".',
    );
  }
  return target;
}
