/** The hash in a COPY or ADD history line, such as `COPY file:<hash> in /app `. */
import { createHash } from 'node:crypto';
import type { FileInput } from '@gantry/cache';

/**
 * Returns gantry's hex hash of the files a step copies, over their paths,
 * modes, content digests and, for files from an image, owners.
 * NOTE: the classic builder hashes tar headers, so its hex digits differ.
 */
export function filesHash(files: readonly FileInput[]): string {
  const hash = createHash('sha256');
  for (const file of files) {
    const owner = file.owner === undefined ? '' : `\0${file.owner}`;
    hash.update(`${file.path}\0${file.mode}\0${file.digest}${owner}\n`);
  }
  return hash.digest('hex');
}
