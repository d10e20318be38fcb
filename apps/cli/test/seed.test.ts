/**
 * The seed example end to end through the CLI: build it, check the classic
 * log step by step, rebuild it from the cache, serve the site over HTTP.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectDockerEngine, type DockerEngine } from '@gantry/daemon';
import { EngineTestFixture } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGantry, stepImageIds } from '../src/test-cli.js';

const SEED = fileURLToPath(new URL('../../../examples/seed', import.meta.url));

/** The steps of the seed Dockerfile as the classic log prints them. */
const STEPS = [
  'FROM debian:bookworm',
  'RUN apt-get -y update && apt-get install -y wget nginx',
  'CMD service nginx start',
  'COPY ./default /etc/nginx/sites-available/default',
  'WORKDIR /app',
  'COPY ./website/. .',
  'EXPOSE 80:8080',
  `ENTRYPOINT ["/bin/sh", "-c", "exec nginx -g 'daemon off;'"]`,
];

/** What follows each step's line on a cold build: a container or not, then the image. */
const COLD_SHAPES = ['image', 'run', 'commit', 'copy', 'commit', 'copy', 'commit', 'commit'];

let engine: DockerEngine;
let fixture: EngineTestFixture;
let cacheHome: string;
let tag: string;
let cold: Awaited<ReturnType<typeof runGantry>>;

beforeAll(async () => {
  engine = await connectDockerEngine();
  fixture = new EngineTestFixture(engine);
  cacheHome = await mkdtemp(join(tmpdir(), 'gantry-seed-cache-'));
  tag = fixture.trackImage(`gantry-seed-test:${fixture.runId}`);
  cold = await seedBuild();
}, 600_000);

afterAll(async () => {
  await fixture.cleanup();
  await rm(cacheHome, { recursive: true, force: true });
});

function seedBuild() {
  return runGantry(['build', '-t', tag, SEED], { env: { XDG_CACHE_HOME: cacheHome } });
}

/** Splits a classic log into the text of each step, after its `Step i/n : ` line. */
function stepBlocks(log: string): string[] {
  return log.split(/^Step \d+\/\d+ : .*\n/m).slice(1);
}

describe('examples/seed through gantry build', () => {
  it('builds with exit code 0', () => {
    expect(cold.stderr).toBe('');
    expect(cold.code).toBe(0);
  });

  it('prints the classic log shape step by step', () => {
    const lines = cold.stdout.split('\n');
    expect(lines[0]).toMatch(/^Sending build context to Docker daemon {2}\d+(\.\d+)?k?B\r\r$/);
    const stepLines = lines.filter((line) => line.startsWith('Step '));
    expect(stepLines).toEqual(STEPS.map((step, index) => `Step ${index + 1}/8 : ${step}`));
    const blocks = stepBlocks(cold.stdout);
    for (const [index, shape] of COLD_SHAPES.entries()) {
      const block = blocks[index] ?? '';
      if (shape === 'run' || shape === 'commit') {
        expect(block, STEPS[index]).toMatch(/^ ---> Running in ([0-9a-f]{12})\n/);
        const id = /Running in ([0-9a-f]{12})/.exec(block)?.[1];
        expect(block, STEPS[index]).toContain(`Removing intermediate container ${id}\n`);
      } else {
        expect(block, STEPS[index]).not.toContain('Running in');
      }
      expect(block, STEPS[index]).toMatch(/ ---> [0-9a-f]{12}\n/);
    }
    expect(cold.stdout).toMatch(/Successfully built [0-9a-f]{12}\nSuccessfully tagged .+\n$/);
  });

  it('uses the cache for every step of a rebuild', async () => {
    const warm = await seedBuild();
    expect(warm.code).toBe(0);
    const blocks = stepBlocks(warm.stdout);
    expect(blocks.length).toBe(8);
    for (const [index, block] of blocks.slice(1).entries()) {
      expect(block, STEPS[index + 1]).toMatch(/^ ---> Using cache\n ---> [0-9a-f]{12}\n/);
      expect(block, STEPS[index + 1]).not.toContain('Running in');
    }
    expect(stepImageIds(warm.stdout)).toEqual(stepImageIds(cold.stdout));
  });

  it('serves the site over HTTP', async () => {
    const container = await engine.containers.create({
      config: {
        Image: tag,
        Labels: fixture.labels,
        HostConfig: { PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } },
      },
    });
    await engine.containers.start(container.id);
    const details = (await engine.containers.inspect(container.id)) as unknown as {
      NetworkSettings: { Ports: Record<string, { HostPort: string }[] | null> };
    };
    const ports = details.NetworkSettings.Ports;
    const port = ports['8080/tcp']?.[0]?.HostPort;
    const page = await fetchWithRetry(`http://127.0.0.1:${port}/`);
    expect(page).toContain('<title>gantry seed site</title>');
  });
});

/** Fetches a page, retrying while nginx starts (up to about 10 s). */
async function fetchWithRetry(url: string): Promise<string> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      const response = await fetch(url);
      if (response.ok) return await response.text();
      lastError = new Error(`HTTP ${response.status} from ${url}`);
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw lastError;
}
