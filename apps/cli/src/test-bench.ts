/** Shared set-up of the CLI's engine tests: the engine, a cleanup fixture, folders and a private cache. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDockerEngine, type DockerEngine } from '@gantry/daemon';
import { EngineTestFixture } from '@gantry/testing';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type CliRun, type RunGantryOptions, runGantry } from './test-cli.js';

/** The engine and cleanup state of one test file, filled in before its first test. */
export interface CliBench {
  engine: DockerEngine;
  fixture: EngineTestFixture;
  /** `XDG_CACHE_HOME` of every build the file runs, so its cache is its own. */
  cacheHome: string;
  /** Makes an empty folder that is removed after the file's last test. */
  newFolder(): Promise<string>;
  /** Makes a context folder from a Dockerfile's text, or from paths and their text. */
  contextWith(files: string | Readonly<Record<string, string>>): Promise<string>;
  /** Runs `gantry build` with the fixture's label and the file's cache. */
  gantryBuild(args: readonly string[], options?: RunGantryOptions): Promise<CliRun>;
}

/**
 * Registers the hooks of a CLI test file and returns its bench: the fixture
 * removes what each test labelled, and the folders go after the last test.
 */
export function useCliBench(): CliBench {
  const folders: string[] = [];
  const newFolder = async () => {
    const folder = await mkdtemp(join(tmpdir(), 'gantry-cli-'));
    folders.push(folder);
    return folder;
  };
  const bench: CliBench = {
    engine: undefined as unknown as DockerEngine,
    fixture: undefined as unknown as EngineTestFixture,
    cacheHome: '',
    newFolder,
    contextWith: async (files) => {
      const folder = await newFolder();
      const entries = typeof files === 'string' ? { Dockerfile: files } : files;
      for (const [path, text] of Object.entries(entries)) {
        await mkdir(join(folder, path, '..'), { recursive: true });
        await writeFile(join(folder, path), text);
      }
      return folder;
    },
    gantryBuild: (args, options = {}) =>
      runGantry(['build', '--label', bench.fixture.labelFilter, ...args], {
        ...options,
        env: { XDG_CACHE_HOME: bench.cacheHome, ...options.env },
      }),
  };
  beforeAll(async () => {
    bench.engine = await connectDockerEngine();
    bench.fixture = new EngineTestFixture(bench.engine);
    bench.cacheHome = await newFolder();
  });
  afterEach(async () => {
    await bench.fixture.cleanup();
  });
  afterAll(async () => {
    for (const folder of folders) await rm(folder, { recursive: true, force: true });
  });
  return bench;
}
