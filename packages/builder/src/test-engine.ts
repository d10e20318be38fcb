/** Helpers of the builder's engine tests: a build with a private cache, its events and cleanup. */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { LayerCache, MemoryStore } from '@gantry/cache';
import {
  ConflictError,
  collectBuild,
  connectDockerEngine,
  type DockerEngine,
  ImageNotFoundError,
  packFolder,
} from '@gantry/daemon';
import { type BuildEvent, createRenderer } from '@gantry/log-format';
import { EngineTestFixture } from '@gantry/testing';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { build } from './build.js';
import type { BuildOptions, BuildResult } from './options.js';

/** The engine, a cleanup fixture and a cache private to one test file. */
export interface TestBench {
  readonly engine: DockerEngine;
  readonly fixture: EngineTestFixture;
  readonly cache: LayerCache;
  /** Step images gantry committed, removed by {@link cleanUpBench}. */
  readonly images: Set<string>;
}

/**
 * Removes the step images the tests made, children before parents (an image
 * with children cannot be removed, even forcibly), then what the fixture tracks.
 */
export async function cleanUpBench(bench: TestBench): Promise<void> {
  for (let pass = 0; pass < 50 && bench.images.size > 0; pass++) {
    for (const imageId of [...bench.images]) {
      try {
        await bench.engine.images.remove(imageId, { force: true });
        bench.images.delete(imageId);
      } catch (error) {
        if (error instanceof ImageNotFoundError) bench.images.delete(imageId);
        else if (!(error instanceof ConflictError)) throw error;
      }
    }
  }
  await bench.fixture.cleanup();
}

/** Connects to the engine and makes the fixture and cache of one test file. */
export async function openTestBench(): Promise<TestBench> {
  const engine = await connectDockerEngine();
  const fixture = new EngineTestFixture(engine);
  const cache = new LayerCache({
    store: new MemoryStore(),
    confirmImage: (imageId, signal) => engine.images.exists(imageId, { signal }),
  });
  return { engine, fixture, cache, images: new Set() };
}

/** Writes a build context: file paths relative to a new temporary folder, and their text. */
export async function writeContext(files: Record<string, string>): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'gantry-builder-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(folder, path)), { recursive: true });
    await writeFile(join(folder, path), text);
  }
  return folder;
}

/** Removes a context folder. */
export async function removeContext(folder: string): Promise<void> {
  await rm(folder, { recursive: true, force: true });
}

/** A gantry build's outcome: the result or the error, its events and its classic log. */
export interface TestBuild {
  readonly result: BuildResult | undefined;
  readonly error: unknown;
  readonly events: BuildEvent[];
  readonly log: string;
}

/** Builds with gantry, labelling the image and tracking every image it made for cleanup. */
export async function gantryBuild(
  bench: TestBench,
  options: Omit<BuildOptions, 'engine' | 'onEvent'>,
): Promise<TestBuild> {
  const events: BuildEvent[] = [];
  const renderer = createRenderer('classic');
  let log = '';
  let result: BuildResult | undefined;
  let error: unknown;
  try {
    result = await build({
      cache: bench.cache,
      labels: bench.fixture.labels,
      ...options,
      engine: bench.engine,
      onEvent: (event) => {
        events.push(event);
        log += renderer.render(event);
      },
    });
  } catch (caught) {
    error = caught;
  }
  trackImages(bench, events, options.tags);
  return { result, error, events, log };
}

function trackImages(bench: TestBench, events: BuildEvent[], tags: readonly string[] = []): void {
  const fromSteps = new Set(
    events.flatMap((event) =>
      event.type === 'step-start' && event.stageStep === 1 ? [event.step] : [],
    ),
  );
  for (const event of events) {
    if (event.type === 'step-done' && !fromSteps.has(event.step)) {
      bench.images.add(event.imageId);
    }
  }
  for (const tag of tags) bench.fixture.trackImage(tag);
}

/** Builds with the engine's classic builder; returns the image id and its log. */
export async function classicBuild(
  bench: TestBench,
  contextDir: string,
  options: {
    buildArgs?: Record<string, string>;
    tags?: string[];
    noCache?: boolean;
    /** Labels in place of the fixture's; include `bench.fixture.labels` to keep cleanup working. */
    labels?: Record<string, string>;
    /** `docker build --rm`; default true. */
    remove?: boolean;
    /** `docker build --force-rm`; default true, so that tests leave no container. */
    forceRemove?: boolean;
  } = {},
): Promise<{ imageId: string | undefined; log: string; error: string | undefined }> {
  const messages = bench.engine.builds.classic({
    context: packFolder(contextDir),
    labels: options.labels ?? bench.fixture.labels,
    remove: options.remove ?? true,
    forceRemove: options.forceRemove ?? true,
    noCache: options.noCache ?? false,
    ...(options.tags === undefined ? {} : { tags: options.tags }),
    ...(options.buildArgs === undefined ? {} : { buildArgs: options.buildArgs }),
  });
  const outcome = await collectBuild(messages);
  for (const tag of options.tags ?? []) bench.fixture.trackImage(tag);
  for (const imageId of classicStepImages(outcome.log)) bench.images.add(imageId);
  return {
    imageId: outcome.imageId,
    log: outcome.log,
    error: outcome.error?.message,
  };
}

/**
 * Short ids of the images a classic build committed, read from its log: the
 * ` ---> id` line that ends each step, except FROM steps (the base image) and
 * steps that printed ` ---> Using cache` (an earlier build made the image).
 * The labels reach only the final stage's image, so the ids of earlier stages
 * come from the log alone.
 */
export function classicStepImages(log: string): string[] {
  const images: string[] = [];
  let skip = true;
  for (const line of log.split('\n')) {
    const step = /^Step \d+\/\d+ : (\S+)/.exec(line);
    if (step !== null) skip = step[1]?.toUpperCase() === 'FROM';
    else if (line === ' ---> Using cache') skip = true;
    const result = /^ ---> ([0-9a-f]{12})$/.exec(line);
    if (result?.[1] !== undefined && !skip) images.push(result[1]);
  }
  return images;
}

/**
 * Builds with the docker CLI and the classic builder, for what only the CLI
 * prints (the context size line); returns its standard output.
 */
export async function dockerCliBuild(bench: TestBench, contextDir: string): Promise<string> {
  const tag = `gantry-builder-test:${bench.fixture.runId}`;
  bench.fixture.trackImage(tag);
  const { stdout } = await run('/usr/bin/docker', [
    'build',
    '--force-rm',
    '--label',
    bench.fixture.labelFilter,
    '-t',
    tag,
    contextDir,
  ]);
  return stdout;
}

const run = promisify(execFile);

/**
 * Builds with `DOCKER_BUILDKIT=0 docker build`, the reference of the
 * differential suite: unlike the engine's /build endpoint alone, the CLI
 * applies .dockerignore. Returns the image id.
 */
export async function dockerCliImage(
  bench: TestBench,
  contextDir: string,
  options: { buildArgs?: Record<string, string> | undefined } = {},
): Promise<string> {
  const iidfile = join(contextDir, '..', `${contextDir.split('/').pop()}.iid`);
  const args = ['build', '--force-rm', '--no-cache', '--iidfile', iidfile];
  args.push('--label', bench.fixture.labelFilter);
  for (const [key, value] of Object.entries(options.buildArgs ?? {})) {
    args.push('--build-arg', `${key}=${value}`);
  }
  const { stdout } = await run('/usr/bin/docker', [...args, contextDir], {
    env: { ...process.env, DOCKER_BUILDKIT: '0' },
  }).catch((error: { stdout?: string }) => {
    // A failed build keeps the images of its finished steps.
    trackClassicImages(bench, error.stdout ?? '');
    throw error;
  });
  trackClassicImages(bench, stdout);
  const imageId = (await readFile(iidfile, 'utf8')).trim();
  await rm(iidfile, { force: true });
  return imageId;
}

/**
 * Registers every step image of a classic log for removal, FROM steps
 * excepted (those are base images): images of stages other than the last
 * are not parents of the final image, so removing it leaves them behind.
 */
function trackClassicImages(bench: TestBench, log: string): void {
  for (const block of log.split(/^Step \d+\/\d+ : /m).slice(1)) {
    if (/^FROM /i.test(block)) continue;
    for (const match of block.matchAll(/^ ---> ([0-9a-f]{12})$/gm)) {
      if (match[1] !== undefined) bench.images.add(match[1]);
    }
  }
}

/** Replaces 12-digit ids with `<id>` and the context size with `<size>`, for log comparison. */
export function normalizeLog(log: string): string {
  return log
    .replace(/Docker daemon {2}\S+/g, 'Docker daemon  <size>')
    .replace(/\b[0-9a-f]{12}\b/g, '<id>')
    .replace(/\r/g, '');
}

/** Lists the ids of every container a build announced. */
export function containerIds(events: readonly BuildEvent[]): string[] {
  return events.flatMap((event) => (event.type === 'container-created' ? [event.containerId] : []));
}

/** Test bench of one test file, with the context folders its tests wrote. */
export interface TestFileBench {
  /** Bench of the running file, open from `beforeAll` on. */
  readonly bench: TestBench;
  /** Writes a context folder that is removed after the file's last test. */
  context(files: Record<string, string>): Promise<string>;
}

/**
 * Registers the hooks of an engine test file: opens the bench before its
 * tests, removes what each test created after it, and removes the context
 * folders after the last test.
 */
export function useTestBench(): TestFileBench {
  let bench: TestBench | undefined;
  const folders: string[] = [];
  beforeAll(async () => {
    bench = await openTestBench();
  });
  afterEach(async () => {
    if (bench !== undefined) await cleanUpBench(bench);
  });
  afterAll(async () => {
    for (const folder of folders) await removeContext(folder);
  });
  return {
    get bench() {
      if (bench === undefined) throw new Error('the test bench opens in beforeAll');
      return bench;
    },
    async context(files) {
      const folder = await writeContext(files);
      folders.push(folder);
      return folder;
    },
  };
}
