/**
 * The differential suite: each case is built by the engine's classic builder
 * and by gantry in the same run, and the final image config and file trees
 * must be equal.
 */
import { execFile } from 'node:child_process';
import { chmod, link, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCRATCH_IMAGE_TAG } from '../../src/scratch-image.js';
import { dockerCliImage, gantryBuild, useTestBench } from '../../src/test-engine.js';
import { DIFFERENTIAL_CASES, type DifferentialCase } from './cases.js';
import { type FileServer, ORIGIN_PLACEHOLDER, startFileServer } from './file-server.js';
import { readTree } from './file-tree.js';

const CONFIG_FIELDS = [
  'Env',
  'Cmd',
  'Entrypoint',
  'WorkingDir',
  'User',
  'ExposedPorts',
  'Volumes',
  'Labels',
  'Healthcheck',
  'OnBuild',
  'StopSignal',
  'Shell',
] as const;

const testFile = useTestBench();

let fileServer: FileServer | undefined;

beforeAll(async () => {
  fileServer = await startFileServer();
});

afterAll(async () => {
  await fileServer?.[Symbol.asyncDispose]();
});

async function contextOf(testCase: DifferentialCase): Promise<string> {
  const origin = fileServer?.origin ?? '';
  const files = Object.fromEntries(
    Object.entries(testCase.files).map(([path, text]) => [
      path,
      text.replaceAll(ORIGIN_PLACEHOLDER, origin),
    ]),
  );
  const folder = await testFile.context(files);
  if (testCase.archives === true) await writeArchives(folder);
  for (const [path, target] of Object.entries(testCase.symlinks ?? {})) {
    await symlink(target, join(folder, path));
  }
  for (const [path, existing] of Object.entries(testCase.hardLinks ?? {})) {
    await link(join(folder, existing), join(folder, path));
  }
  for (const [path, mode] of Object.entries(testCase.modes ?? {})) {
    await chmod(join(folder, path), mode);
  }
  return folder;
}

/**
 * Writes tar archives (plain, gzip, bzip2 and xz-compressed) with owners and
 * modes, and a text file compressed each way, which is no archive.
 */
async function writeArchives(folder: string): Promise<void> {
  const tree = join(folder, 'tree-source');
  await mkdir(join(tree, 'sub'), { recursive: true });
  await writeFile(join(tree, 'a.txt'), 'a\n');
  await writeFile(join(tree, 'sub', 'run.sh'), '#!/bin/sh\n', { mode: 0o750 });
  const tar = ['--owner=1234', '--group=5678', '-C', tree, '.'];
  await run('tar', ['-cf', join(folder, 'plain.tar'), ...tar]);
  await run('tar', ['-czf', join(folder, 'packed.tar.gz'), ...tar]);
  await run('tar', ['-cjf', join(folder, 'packed.tar.bz2'), ...tar]);
  await run('tar', ['-cJf', join(folder, 'packed.tar.xz'), ...tar]);
  await rm(tree, { recursive: true });
  for (const [tool, suffix] of [
    ['gzip', 'gz'],
    ['bzip2', 'bz2'],
    ['xz', 'xz'],
  ]) {
    await run('sh', ['-c', `echo notes | ${tool} > ${join(folder, `notes.txt.${suffix}`)}`]);
  }
}

const run = promisify(execFile);

/**
 * Reads an empty `Entrypoint` as absent: gantry stores `[]` where the
 * classic builder stores nothing, in images with neither CMD nor ENTRYPOINT
 * (see the README's differences), and both mean no entry point.
 */
function comparable(field: string, value: unknown): unknown {
  return field === 'Entrypoint' && Array.isArray(value) && value.length === 0 ? null : value;
}

describe.each(DIFFERENTIAL_CASES)('$name', (testCase) => {
  it('matches the classic builder', async () => {
    const folder = await contextOf(testCase);
    if (testCase.files.Dockerfile?.includes('FROM scratch'))
      testFile.bench.fixture.trackImage(SCRATCH_IMAGE_TAG);
    const buildArgs = testCase.buildArgs;
    const classicId = await dockerCliImage(testFile.bench, folder, { buildArgs });
    const gantry = await gantryBuild(testFile.bench, { contextDir: folder, buildArgs });
    expect(gantry.error).toBeUndefined();
    const gantryId = gantry.result?.imageId ?? '';
    const expected = await testFile.bench.engine.images.inspect(classicId);
    const actual = await testFile.bench.engine.images.inspect(gantryId);
    for (const field of CONFIG_FIELDS) {
      expect(comparable(field, actual.Config?.[field]), field).toEqual(expected.Config?.[field]);
    }
    expect(actual.Author, 'Author').toBe(expected.Author);
    const paths = testCase.paths ?? [];
    const labels = testFile.bench.fixture.labels;
    const expectedTree = await readTree(testFile.bench.engine, classicId, paths, labels);
    const actualTree = await readTree(testFile.bench.engine, gantryId, paths, labels);
    expect(actualTree).toEqual(expectedTree);
    if (testCase.history === true) {
      expect(await historyOf(gantryId)).toEqual(await historyOf(classicId));
    }
  });
});

/** Returns the image's history commands, newest first, with COPY and ADD content hashes masked. */
async function historyOf(imageId: string): Promise<string[]> {
  const entries = await testFile.bench.engine.images.history(imageId);
  return entries.map((entry) =>
    entry.CreatedBy.replace(/(file|dir|multi):[0-9a-f]{64}/, '$1:HASH'),
  );
}
