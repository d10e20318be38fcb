import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makeTempDir, type TempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formatEndpoint } from './endpoint.js';
import { DEFAULT_STRATEGIES, findEndpoint } from './strategies.js';

// These tests compare the endpoint this package picks with the one the docker
// CLI on the test machine (20.10) picks, for the same DOCKER_CONFIG folder.
const DOCKER_CLI = '/usr/bin/docker';
const INSPECT_FORMAT = '{{.Endpoints.docker.Host}}';

const run = promisify(execFile);

let home: TempDir;
let configDir: string;

beforeAll(async () => {
  home = await makeTempDir();
  configDir = join(home.path, 'docker-config');
  for (const name of ['alpha', 'beta']) {
    const host = `host=unix://${home.path}/${name}.sock`;
    await docker({}, ['context', 'create', name, '--docker', host]);
  }
});
afterAll(async () => {
  await home[Symbol.asyncDispose]();
});

function environment(env: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin',
    HOME: home.path,
    DOCKER_CONFIG: configDir,
    ...env,
  };
}

async function docker(env: Record<string, string>, args: string[]): Promise<string> {
  const { stdout } = await run(DOCKER_CLI, args, { env: environment(env) });
  return stdout.trim();
}

/** Returns the host the docker CLI picks, or `failed` when it cannot pick one. */
async function dockerCliHost(env: Record<string, string>): Promise<string> {
  try {
    return await docker(env, ['context', 'inspect', '--format', INSPECT_FORMAT]);
  } catch {
    return 'failed';
  }
}

/** Returns the address this package picks, or `failed` when it raises. */
async function gantryHost(env: Record<string, string>): Promise<string> {
  const context = { env: environment(env), homeDir: home.path, exists: async () => false };
  try {
    const found = await findEndpoint(DEFAULT_STRATEGIES, context);
    return found === undefined ? 'none' : formatEndpoint(found.endpoint);
  } catch {
    return 'failed';
  }
}

async function writeConfig(text: string | undefined): Promise<void> {
  await writeFile(join(configDir, 'config.json'), text ?? '{}');
}

type Picked = 'alpha' | 'beta' | 'default' | 'DOCKER_HOST' | 'failed';

const ALPHA = '{"currentContext": "alpha"}';
const HOST = 'unix:///tmp/gantry-docker-host.sock';

const cases: [string, string | undefined, Record<string, string>, Picked][] = [
  ['no current context', undefined, {}, 'default'],
  ['currentContext', ALPHA, {}, 'alpha'],
  ['DOCKER_CONTEXT', undefined, { DOCKER_CONTEXT: 'beta' }, 'beta'],
  ['DOCKER_CONTEXT over currentContext', ALPHA, { DOCKER_CONTEXT: 'beta' }, 'beta'],
  ['DOCKER_CONTEXT default', ALPHA, { DOCKER_CONTEXT: 'default' }, 'default'],
  [
    'DOCKER_HOST over DOCKER_CONTEXT',
    ALPHA,
    { DOCKER_HOST: HOST, DOCKER_CONTEXT: 'beta' },
    'DOCKER_HOST',
  ],
  [
    'DOCKER_HOST over unknown context',
    undefined,
    { DOCKER_HOST: HOST, DOCKER_CONTEXT: 'x' },
    'DOCKER_HOST',
  ],
  ['empty DOCKER_HOST', ALPHA, { DOCKER_HOST: '' }, 'default'],
  ['unknown DOCKER_CONTEXT', undefined, { DOCKER_CONTEXT: 'nosuch' }, 'failed'],
  ['empty DOCKER_CONTEXT', ALPHA, { DOCKER_CONTEXT: '' }, 'failed'],
  ['unknown currentContext', '{"currentContext": "gone"}', {}, 'failed'],
  ['config.json not JSON', 'not json{', {}, 'default'],
  ['config.json not JSON, DOCKER_CONTEXT', 'not json{', { DOCKER_CONTEXT: 'beta' }, 'beta'],
];

function addressOf(picked: Picked): string {
  switch (picked) {
    case 'alpha':
    case 'beta':
      return `unix://${home.path}/${picked}.sock`;
    case 'default':
      return 'unix:///var/run/docker.sock';
    case 'DOCKER_HOST':
      return HOST;
    case 'failed':
      return 'failed';
  }
}

describe('endpoint as the docker CLI picks it', () => {
  test.each(cases)('%s', async (_name, config, env, picked) => {
    await writeConfig(config);
    expect(await dockerCliHost(env)).toBe(addressOf(picked));
    expect(await gantryHost(env)).toBe(addressOf(picked));
  });
});
