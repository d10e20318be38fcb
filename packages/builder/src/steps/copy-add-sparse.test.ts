import { execFile } from 'node:child_process';
import { truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BuildError } from '../errors.js';
import { classicBuild, gantryBuild, useTestBench } from '../test-engine.js';

const testFile = useTestBench();
const run = promisify(execFile);

/** Writes a context whose `sparse.tar` contains a 1 MiB sparse file packed by GNU tar with `-S`. */
async function sparseContext(): Promise<string> {
  const contextDir = await testFile.context({
    Dockerfile: 'FROM busybox:latest\nADD sparse.tar /x/\n',
  });
  await writeFile(join(contextDir, 'holes'), 'x');
  await truncate(join(contextDir, 'holes'), 1024 * 1024);
  await run('tar', ['--format=gnu', '-S', '-cf', 'sparse.tar', 'holes'], { cwd: contextDir });
  return contextDir;
}

describe('ADD of a GNU sparse tar', () => {
  it('fails as the classic builder does', async () => {
    const contextDir = await sparseContext();
    const classic = await classicBuild(testFile.bench, contextDir, { noCache: true });
    expect(classic.error).toContain('unhandled tar header type 83');
    const built = await gantryBuild(testFile.bench, { contextDir });

    expect(built.error).toBeInstanceOf(BuildError);
    const error = built.error as BuildError;
    expect(error.code).toBe('ERR_COPY_SOURCE');
    expect(error.location?.step).toBe(2);
    expect(error.message).toContain(
      'ADD failed: cannot extract sparse.tar: holes is a GNU sparse file',
    );
  });
});
