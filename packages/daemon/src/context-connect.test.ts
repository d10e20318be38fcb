import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from '@gantry/testing';
import { expect, test } from 'vitest';
import { DEFAULT_STRATEGIES, findEndpoint } from './connection/strategies.js';
import { connectDockerEngine } from './docker-engine.js';

test('connect through a docker context', async () => {
  await using config = await makeTempDir();
  const id = createHash('sha256').update('local-engine').digest('hex');
  const metaDir = join(config.path, 'contexts', 'meta', id);
  await mkdir(metaDir, { recursive: true });
  const docker = { Host: 'unix:///var/run/docker.sock', SkipTLSVerify: false };
  const meta = { Name: 'local-engine', Metadata: {}, Endpoints: { docker } };
  await writeFile(join(metaDir, 'meta.json'), JSON.stringify(meta));
  await writeFile(join(config.path, 'config.json'), '{"currentContext": "local-engine"}');

  const env = { DOCKER_CONFIG: config.path };
  const strategyContext = { env, homeDir: config.path, exists: async () => true };
  const found = await findEndpoint(DEFAULT_STRATEGIES, strategyContext);
  const engine = await connectDockerEngine({ strategyContext });

  expect(found?.strategy).toBe('docker context');
  expect(engine.address).toBe('unix:///var/run/docker.sock');
  expect((await engine.system.version()).ApiVersion).toMatch(/^1\./);
});

test('connect through a context without an engine', async () => {
  await using config = await makeTempDir();
  const id = createHash('sha256').update('stale').digest('hex');
  const metaDir = join(config.path, 'contexts', 'meta', id);
  await mkdir(metaDir, { recursive: true });
  const socket = join(config.path, 'missing.sock');
  const meta = { Name: 'stale', Endpoints: { docker: { Host: `unix://${socket}` } } };
  await writeFile(join(metaDir, 'meta.json'), JSON.stringify(meta));

  const env = { DOCKER_CONFIG: config.path, DOCKER_CONTEXT: 'stale' };
  const connect = connectDockerEngine({
    strategyContext: { env, homeDir: config.path, exists: async () => true },
    retry: { retries: 0, initialDelayMs: 0 },
  });

  await expect(connect).rejects.toMatchObject({
    code: 'ERR_ENGINE_UNREACHABLE',
    address: `unix://${socket}`,
    dockerContext: 'stale',
  });
  await expect(connect).rejects.toThrow(`unix://${socket} (docker context "stale") is unreachable`);
  await expect(connect).rejects.toThrow('`docker context use default`');
});
