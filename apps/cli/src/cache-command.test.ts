/** `gantry cache ls|stats|prune` against the engine: removed images and sizes counted once. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDockerEngine, type DockerEngine } from '@gantry/daemon';
import { EngineTestFixture } from '@gantry/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runGantry } from './test-cli.js';

let engine: DockerEngine;
let fixture: EngineTestFixture;
let cacheHome: string;
const folders: string[] = [];

beforeAll(async () => {
  engine = await connectDockerEngine();
  fixture = new EngineTestFixture(engine);
});
beforeEach(async () => {
  cacheHome = await newFolder();
});
afterEach(async () => {
  await fixture.cleanup();
});
afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

async function newFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'gantry-cli-cache-'));
  folders.push(folder);
  return folder;
}

/** Builds a Dockerfile with the test's label and cache; returns the final image id. */
async function build(dockerfile: string): Promise<string> {
  const folder = await newFolder();
  await writeFile(join(folder, 'Dockerfile'), dockerfile);
  const run = await cache(['build', '-q', '--label', fixture.labelFilter, folder]);
  expect(run.code).toBe(0);
  return run.stdout.trim();
}

function cache(args: string[]) {
  return runGantry(args, { env: { XDG_CACHE_HOME: cacheHome } });
}

/** Reads `name: value` lines of `gantry cache stats`. */
function statsOf(text: string): Map<string, string> {
  return new Map(
    text
      .trim()
      .split('\n')
      .map((line) => line.split(': ', 2) as [string, string]),
  );
}

describe('gantry cache ls', () => {
  it('leaves out entries whose image was removed', async () => {
    const imageId = await build('FROM busybox:latest\nENV GONE=1\n');
    await build('FROM busybox:latest\nENV KEPT=1\n');
    await engine.images.remove(imageId, { force: true });
    const list = await cache(['cache', 'ls']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('ENV KEPT=1');
    expect(list.stdout).not.toContain('ENV GONE=1');
    expect(list.stderr).toContain('entries whose image was removed from the engine are not listed');
  });

  it('marks them with --all', async () => {
    const imageId = await build('FROM busybox:latest\nENV MARKED=1\n');
    await engine.images.remove(imageId, { force: true });
    const list = await cache(['cache', 'ls', '--all']);
    expect(list.stdout).toMatch(/<removed> +\d+ +\S+ +ENV MARKED=1\n/);
  });

  it('prunes them with --removed', async () => {
    const imageId = await build('FROM busybox:latest\nENV PRUNED=1\n');
    await build('FROM busybox:latest\nENV STAYS=1\n');
    await engine.images.remove(imageId, { force: true });
    const prune = await cache(['cache', 'prune', '--removed']);
    expect(prune.stdout).toMatch(/^removed [1-9]\d* cache entries\n$/);
    const list = await cache(['cache', 'ls', '--all']);
    expect(list.stdout).not.toContain('ENV PRUNED=1');
    expect(list.stdout).toContain('ENV STAYS=1');
  });
});

describe('gantry cache stats', () => {
  it('counts a shared layer once', async () => {
    const layer = 'RUN head -c 1000000 /dev/urandom > /big';
    await build(`FROM busybox:latest\n${layer}\nENV ONE=1\n`);
    await build(`FROM busybox:latest\n${layer}\nENV TWO=2\n`);
    const stats = statsOf((await cache(['cache', 'stats'])).stdout);
    const size = Number(stats.get('images size')?.replace(/ B$/, ''));
    expect(size).toBeGreaterThanOrEqual(1_000_000);
    // busybox (about 2 MB) under each of the four images would count at least 8 MB.
    expect(size).toBeLessThan(1_100_000);
    expect(stats.get('images')).toBe(String(Number(stats.get('entries'))));
  });

  it('counts entries whose image was removed', async () => {
    const imageId = await build('FROM busybox:latest\nENV COUNTED=1\n');
    await engine.images.remove(imageId, { force: true });
    const stats = statsOf((await cache(['cache', 'stats'])).stdout);
    expect(stats.get('entries whose image was removed')).toBe('2');
  });
});
