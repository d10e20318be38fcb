/** Helpers of the engine tests that read the file tree of an image gantry built. */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { BuildEvent } from '@gantry/log-format';
import { expect } from 'vitest';
import { readTree, type TreeEntry } from '../test/differential/file-tree.js';
import { gantryBuild, type TestBuild, type TestFileBench } from './test-engine.js';

/** A gantry build and the entries under the paths that were read from its image. */
export interface BuiltTree {
  readonly built: TestBuild;
  readonly tree: TreeEntry[];
}

/** Builds a context with gantry, expects success, and reads the entries under `paths`. */
export async function buildTree(
  testFile: TestFileBench,
  files: Record<string, string>,
  paths: readonly string[],
): Promise<BuiltTree> {
  const folder = await testFile.context(files);
  return buildFolderTree(testFile, folder, paths);
}

/** Builds an existing context folder with gantry and reads the entries under `paths`. */
export async function buildFolderTree(
  testFile: TestFileBench,
  folder: string,
  paths: readonly string[],
): Promise<BuiltTree> {
  const built = await gantryBuild(testFile.bench, { contextDir: folder });
  expect(built.error).toBeUndefined();
  const { engine, fixture } = testFile.bench;
  const tree = await readTree(engine, built.result?.imageId ?? '', paths, fixture.labels);
  return { built, tree };
}

/** Returns the entry whose path in the image ends with `/name`, or throws listing the tree. */
export function entryAt(tree: readonly TreeEntry[], name: string): TreeEntry {
  const entry = tree.find(
    (item) => item.path.endsWith(` :: ${name}`) || item.path.endsWith(`/${name}`),
  );
  if (entry === undefined) {
    throw new Error(`${name} is not in the tree: ${tree.map((item) => item.path).join(', ')}`);
  }
  return entry;
}

/**
 * Returns the entries below `root`, named relative to it. readTree names an
 * entry `ROOT :: NAME`, where the archive of `/x` names its entries `x/...`.
 */
export function entriesBelow(tree: readonly TreeEntry[], root: string): TreeEntry[] {
  const prefix = `${root} :: ${root.slice(1)}/`;
  return tree
    .filter((entry) => entry.path.startsWith(prefix) && entry.path.length > prefix.length)
    .map((entry) => ({ ...entry, path: `/${entry.path.slice(prefix.length).replace(/\/$/, '')}` }));
}

/** Returns the names of a tree's entries, as `<path read> :: <name in the archive>`. */
export function namesOf(tree: readonly TreeEntry[]): string[] {
  return tree.map((item) => item.path);
}

/** Returns the permission bits of an entry in octal (`644`), without the file type bits. */
export function permissionsOf(entry: TreeEntry): string {
  return (Number.parseInt(entry.mode, 8) & 0o7777).toString(8);
}

/** Returns the `sha256:` digest of a text, as a tree entry records a file's content. */
export function digestOf(text: string | Buffer): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** Returns the types of a build's events for one step, such as `step-cache-hit`. */
export function stepEvents(events: readonly BuildEvent[], step: number): string[] {
  return events.flatMap((event) => ('step' in event && event.step === step ? [event.type] : []));
}

/**
 * Builds a context with the engine's embedded BuildKit (`DOCKER_BUILDKIT=1
 * docker build`), labelled and tracked for removal; returns the image id.
 * That BuildKit predates heredocs, `--parents`, `--exclude` and symbolic
 * modes, so it is the reference only for what it has.
 */
export async function buildKitImage(testFile: TestFileBench, contextDir: string): Promise<string> {
  const { bench } = testFile;
  const iidfile = `${contextDir}.buildkit.iid`;
  const args = ['build', '--progress=plain', '--no-cache', '--iidfile', iidfile];
  args.push('--label', bench.fixture.labelFilter, contextDir);
  await run('/usr/bin/docker', args, { env: { ...process.env, DOCKER_BUILDKIT: '1' } });
  const imageId = (await readFile(iidfile, 'utf8')).trim();
  await rm(iidfile, { force: true });
  bench.images.add(imageId);
  return imageId;
}

const run = promisify(execFile);
