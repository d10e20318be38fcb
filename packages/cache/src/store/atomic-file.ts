/** File writes that other processes see whole or not at all. */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, utimes } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Suffix of temporary files; a prune removes old ones left by a crashed process. */
export const TEMPORARY_SUFFIX = '.tmp';

/**
 * Writes `data` to a temporary file in the target's folder, sets its times
 * when `mtimeMs` is given, and renames it over `file`. Readers see the old or
 * the new content, never a part: `rename` within one file system is atomic.
 */
export async function writeFileAtomic(file: string, data: string, mtimeMs?: number): Promise<void> {
  // The XDG Base Directory specification asks for new cache folders with mode 0700.
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}${TEMPORARY_SUFFIX}`;
  try {
    const handle = await open(temporary, 'wx');
    try {
      await handle.writeFile(data, 'utf8');
    } finally {
      await handle.close();
    }
    if (mtimeMs !== undefined) {
      const seconds = mtimeMs / 1000;
      await utimes(temporary, seconds, seconds);
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
