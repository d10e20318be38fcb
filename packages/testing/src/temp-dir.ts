import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temporary folder that `await using` removes. */
export interface TempDir extends AsyncDisposable {
  /** Absolute path of the folder. */
  readonly path: string;
}

/** Creates a temporary folder under `parent` (default: the OS temp folder). */
export async function makeTempDir(prefix = 'gantry-test-', parent = tmpdir()): Promise<TempDir> {
  const path = await mkdtemp(join(parent, prefix));
  return {
    path,
    async [Symbol.asyncDispose]() {
      await rm(path, { recursive: true, force: true });
    },
  };
}
