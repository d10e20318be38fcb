/** The check that a build context path is a folder, made before its Dockerfile is read. */
import { stat } from 'node:fs/promises';
import { ContextError } from '@gantry/cache';

/**
 * Rejects a context path that is missing or is not a folder, with the
 * `ContextError` that walking the context raises, so that a wrong PATH is
 * named as such and not as a missing Dockerfile inside it.
 */
export async function assertContextFolder(contextDir: string): Promise<void> {
  let isFolder = false;
  try {
    isFolder = (await stat(contextDir)).isDirectory();
  } catch (cause) {
    throw new ContextError(
      'CONTEXT_NOT_FOUND',
      contextDir,
      `Build context ${JSON.stringify(contextDir)} was not found; pass an existing folder.`,
      { cause },
    );
  }
  if (!isFolder) {
    throw new ContextError(
      'CONTEXT_NOT_FOUND',
      contextDir,
      `Build context ${JSON.stringify(contextDir)} is not a folder; pass the folder that holds the files.`,
    );
  }
}
