import { afterEach, describe, expect, it } from 'vitest';
import { removeContext, writeContext } from '../test-engine.js';
import { readContext } from './context-files.js';

const folders: string[] = [];

afterEach(async () => {
  for (const folder of folders.splice(0)) await removeContext(folder);
});

async function contextOf(files: Record<string, string>): Promise<string> {
  const folder = await writeContext(files);
  folders.push(folder);
  return folder;
}

describe('readContext', () => {
  it('lists an excluded folder that keeps an exception', async () => {
    const contextDir = await contextOf({
      '.dockerignore': 'keep\n!keep/wanted.txt\n',
      'keep/wanted.txt': 'w',
      'keep/dropped.txt': 'd',
    });
    const context = await readContext({ contextDir });
    expect(context.entries.map((entry) => entry.path)).toEqual([
      '.dockerignore',
      'keep',
      'keep/wanted.txt',
    ]);
    expect(context.byPath.get('keep')?.type).toBe('dir');
    expect(context.byPath.get('keep')?.mode).toBe(0o755);
  });

  it('sizes the context without implied folders', async () => {
    const contextDir = await contextOf({
      '.dockerignore': 'keep\n!keep/wanted.txt\n',
      'keep/wanted.txt': 'w',
    });
    const context = await readContext({ contextDir });
    // Two files of one data block each, their headers and the two end blocks.
    // The docker CLI's context tar has no header for `keep`, so neither does the size.
    expect(context.classicSize).toBe(2 * 512 + 2 * 512 + 2 * 512);
  });
});
