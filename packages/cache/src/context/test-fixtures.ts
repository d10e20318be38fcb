/** Helpers that lay out fixture contexts in temporary folders for the tests. */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A fixture tree: a path maps to file content, `{ link }` for a symlink, or `null` for a folder. */
export type Tree = Record<string, string | { link: string } | null>;

/** Creates a temporary folder; remove it with the returned function. */
export async function temporaryFolder(prefix: string) {
  const path = await mkdtemp(join(tmpdir(), `gantry-cache-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Writes a fixture tree under `root`. */
export async function writeTree(root: string, tree: Tree): Promise<void> {
  for (const [path, content] of Object.entries(tree)) {
    const absolute = join(root, path);
    if (content === null) {
      await mkdir(absolute, { recursive: true });
      continue;
    }
    await mkdir(dirname(absolute), { recursive: true });
    if (typeof content === 'string') {
      await writeFile(absolute, content);
    } else {
      await symlink(content.link, absolute);
    }
  }
}
