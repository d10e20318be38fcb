import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir, type TempDir } from '@gantry/testing';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { EngineAddressError } from '../errors.js';
import { DEFAULT_STRATEGIES, findEndpoint, type StrategyContext } from './strategies.js';

const DEFAULT_SOCKET = { protocol: 'unix', socketPath: '/var/run/docker.sock' };

let config: TempDir;

beforeEach(async () => {
  config = await makeTempDir();
});
afterEach(async () => {
  await config[Symbol.asyncDispose]();
});

function contextId(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

/** Writes `meta.json` as `docker context create NAME --docker host=HOST` (20.10) does. */
async function createContext(name: string, docker: Record<string, unknown>): Promise<void> {
  const folder = join(config.path, 'contexts', 'meta', contextId(name));
  await mkdir(folder, { recursive: true });
  const meta = { Name: name, Metadata: {}, Endpoints: { docker } };
  await writeFile(join(folder, 'meta.json'), JSON.stringify(meta));
}

async function writeMeta(name: string, text: string): Promise<void> {
  const folder = join(config.path, 'contexts', 'meta', contextId(name));
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'meta.json'), text);
}

async function writeConfig(text: string): Promise<void> {
  await writeFile(join(config.path, 'config.json'), text);
}

function strategyContext(env: Record<string, string> = {}): StrategyContext {
  return {
    env: { DOCKER_CONFIG: config.path, ...env },
    homeDir: '/nonexistent-home',
    exists: async () => true,
  };
}

async function resolve(env: Record<string, string> = {}) {
  return findEndpoint(DEFAULT_STRATEGIES, strategyContext(env));
}

describe('docker context selection', () => {
  test('DOCKER_CONTEXT names the context', async () => {
    await createContext('alpha', { Host: 'unix:///run/alpha.sock', SkipTLSVerify: false });
    const found = await resolve({ DOCKER_CONTEXT: 'alpha' });
    expect(found?.strategy).toBe('docker context');
    expect(found?.endpoint).toEqual({
      protocol: 'unix',
      socketPath: '/run/alpha.sock',
      dockerContext: 'alpha',
    });
  });

  test('currentContext in config.json', async () => {
    await createContext('alpha', { Host: 'unix:///run/alpha.sock', SkipTLSVerify: false });
    await writeConfig('{\n\t"auths": {},\n\t"currentContext": "alpha"\n}');
    const found = await resolve();
    expect(found?.strategy).toBe('docker context');
    expect(found?.endpoint).toEqual({
      protocol: 'unix',
      socketPath: '/run/alpha.sock',
      dockerContext: 'alpha',
    });
  });

  test('DOCKER_CONTEXT before currentContext', async () => {
    await createContext('alpha', { Host: 'unix:///run/alpha.sock' });
    await createContext('beta', { Host: 'unix:///run/beta.sock' });
    await writeConfig('{"currentContext": "alpha"}');
    const found = await resolve({ DOCKER_CONTEXT: 'beta' });
    expect(found?.endpoint).toEqual({
      protocol: 'unix',
      socketPath: '/run/beta.sock',
      dockerContext: 'beta',
    });
  });

  test('DOCKER_HOST before DOCKER_CONTEXT', async () => {
    const found = await resolve({ DOCKER_HOST: 'unix:///run/host.sock', DOCKER_CONTEXT: 'nosuch' });
    expect(found?.strategy).toBe('DOCKER_HOST');
    expect(found?.endpoint).toEqual({ protocol: 'unix', socketPath: '/run/host.sock' });
  });

  test('empty DOCKER_HOST skips contexts', async () => {
    await createContext('alpha', { Host: 'unix:///run/alpha.sock' });
    await writeConfig('{"currentContext": "alpha"}');
    const found = await resolve({ DOCKER_HOST: '', DOCKER_CONTEXT: 'alpha' });
    expect(found?.strategy).toBe('default socket');
    expect(found?.endpoint).toEqual(DEFAULT_SOCKET);
  });

  test('context named default', async () => {
    await writeConfig('{"currentContext": "alpha"}');
    const fromEnv = await resolve({ DOCKER_CONTEXT: 'default' });
    expect(fromEnv?.strategy).toBe('default socket');
    await writeConfig('{"currentContext": "default"}');
    const fromConfig = await resolve();
    expect(fromConfig?.strategy).toBe('default socket');
  });

  test('no config.json', async () => {
    const found = await resolve();
    expect(found?.strategy).toBe('default socket');
    expect(found?.endpoint).toEqual(DEFAULT_SOCKET);
  });

  test('~/.docker without DOCKER_CONFIG', async () => {
    await using home = await makeTempDir();
    const docker = join(home.path, '.docker');
    const folder = join(docker, 'contexts', 'meta', contextId('desktop-linux'));
    await mkdir(folder, { recursive: true });
    const meta = { Name: 'desktop-linux', Endpoints: { docker: { Host: 'unix:///run/d.sock' } } };
    await writeFile(join(folder, 'meta.json'), JSON.stringify(meta));
    await writeFile(join(docker, 'config.json'), '{"currentContext": "desktop-linux"}');
    const context = { env: { DOCKER_CONFIG: '' }, homeDir: home.path, exists: async () => false };
    const found = await findEndpoint(DEFAULT_STRATEGIES, context);
    expect(found?.endpoint).toEqual({
      protocol: 'unix',
      socketPath: '/run/d.sock',
      dockerContext: 'desktop-linux',
    });
  });
});

describe('config.json the docker CLI ignores', () => {
  const cases = [
    ['not JSON', 'not json{'],
    ['empty file', ''],
    ['JSON null', 'null'],
    ['JSON array', '["alpha"]'],
    ['currentContext a number', '{"currentContext": 5}'],
    ['currentContext empty', '{"currentContext": ""}'],
  ];
  test.each(cases)('%s', async (_name, text) => {
    await createContext('alpha', { Host: 'unix:///run/alpha.sock' });
    await writeConfig(text);
    const found = await resolve();
    expect(found?.strategy).toBe('default socket');
  });

  test('config.json a folder', async () => {
    await createContext('alpha', { Host: 'unix:///run/alpha.sock' });
    await mkdir(join(config.path, 'config.json'));
    const found = await resolve();
    expect(found?.strategy).toBe('default socket');
  });

  test('DOCKER_CONTEXT still applies', async () => {
    await createContext('alpha', { Host: 'unix:///run/alpha.sock' });
    await writeConfig('not json{');
    const found = await resolve({ DOCKER_CONTEXT: 'alpha' });
    expect(found?.endpoint).toEqual({
      protocol: 'unix',
      socketPath: '/run/alpha.sock',
      dockerContext: 'alpha',
    });
  });
});

describe('docker context errors', () => {
  test('unknown DOCKER_CONTEXT', async () => {
    const found = resolve({ DOCKER_CONTEXT: 'nosuch' });
    await expect(found).rejects.toThrow(EngineAddressError);
    await expect(found).rejects.toMatchObject({
      code: 'ERR_ENGINE_ADDRESS',
      dockerContext: 'nosuch',
      cause: { code: 'ENOENT' },
    });
    await expect(found).rejects.toThrow(/^Docker context "nosuch" is invalid: DOCKER_CONTEXT/);
    await expect(found).rejects.toThrow(`${contextId('nosuch')}/meta.json does not exist`);
    await expect(found).rejects.toThrow(/`docker context ls` lists, or unset it\.$/);
  });

  test('unknown currentContext', async () => {
    await writeConfig('{"currentContext": "gone"}');
    const found = resolve();
    await expect(found).rejects.toMatchObject({ dockerContext: 'gone' });
    await expect(found).rejects.toThrow(`currentContext in ${config.path}/config.json names it`);
    await expect(found).rejects.toThrow(/`docker context use default`/);
  });

  test('empty DOCKER_CONTEXT', async () => {
    const found = resolve({ DOCKER_CONTEXT: '' });
    await expect(found).rejects.toThrow(EngineAddressError);
    await expect(found).rejects.toThrow(/DOCKER_CONTEXT is set to an empty string\. Unset/);
  });

  test('meta.json not JSON', async () => {
    await writeMeta('alpha', 'garbage');
    const found = resolve({ DOCKER_CONTEXT: 'alpha' });
    await expect(found).rejects.toMatchObject({ dockerContext: 'alpha', cause: expect.any(Error) });
    await expect(found).rejects.toThrow(/meta\.json is not valid JSON/);
    await expect(found).rejects.toThrow(/`docker context update alpha --docker host=/);
  });

  test('meta.json without a docker endpoint', async () => {
    await writeMeta('alpha', '{"Name": "alpha", "Metadata": {}}');
    const found = resolve({ DOCKER_CONTEXT: 'alpha' });
    await expect(found).rejects.toThrow(/meta\.json has no docker endpoint/);
  });

  test('host that is not a string', async () => {
    await createContext('alpha', { Host: 5 });
    const found = resolve({ DOCKER_CONTEXT: 'alpha' });
    await expect(found).rejects.toThrow(/Host in .*meta\.json is not a string/);
  });

  test('SkipTLSVerify that is not a boolean', async () => {
    await createContext('alpha', { Host: 'tcp://127.0.0.1:2376', SkipTLSVerify: 'yes' });
    const found = resolve({ DOCKER_CONTEXT: 'alpha' });
    await expect(found).rejects.toThrow(/SkipTLSVerify in .*meta\.json is not a boolean/);
  });

  test('host with an unknown scheme', async () => {
    await createContext('alpha', { Host: 'ftp://host' });
    const found = resolve({ DOCKER_CONTEXT: 'alpha' });
    await expect(found).rejects.toMatchObject({ address: 'ftp://host', dockerContext: 'alpha' });
    await expect(found).rejects.toThrow(
      'Docker context "alpha" is invalid: its host "ftp://host" cannot be used: ' +
        'the scheme "ftp:" is not supported.',
    );
  });
});

describe('docker context endpoint', () => {
  test('empty host is the default socket', async () => {
    await createContext('alpha', { Host: '' });
    const found = await resolve({ DOCKER_CONTEXT: 'alpha' });
    expect(found?.strategy).toBe('docker context');
    expect(found?.endpoint).toEqual({ ...DEFAULT_SOCKET, dockerContext: 'alpha' });
  });

  test('keys in another case', async () => {
    await writeMeta(
      'alpha',
      '{"name":"alpha","endpoints":{"docker":{"host":"unix:///run/a.sock"}}}',
    );
    const found = await resolve({ DOCKER_CONTEXT: 'alpha' });
    expect(found?.endpoint).toEqual({
      protocol: 'unix',
      socketPath: '/run/a.sock',
      dockerContext: 'alpha',
    });
  });

  test('tcp without TLS', async () => {
    await createContext('remote', { Host: 'tcp://127.0.0.1', SkipTLSVerify: false });
    const found = await resolve({ DOCKER_CONTEXT: 'remote', DOCKER_TLS_VERIFY: '1' });
    expect(found?.endpoint).toEqual({
      protocol: 'tcp',
      host: '127.0.0.1',
      port: 2375,
      dockerContext: 'remote',
    });
  });

  test('tcp with a TLS folder', async () => {
    await createContext('remote', { Host: 'tcp://127.0.0.1', SkipTLSVerify: false });
    const tlsDir = join(config.path, 'contexts', 'tls', contextId('remote'), 'docker');
    await mkdir(tlsDir, { recursive: true });
    const found = await resolve({ DOCKER_CONTEXT: 'remote' });
    expect(found?.endpoint).toEqual({
      protocol: 'tcp',
      host: '127.0.0.1',
      port: 2376,
      tls: { certPath: tlsDir, verify: true, filesOptional: true },
      dockerContext: 'remote',
    });
  });

  test('tcp with SkipTLSVerify', async () => {
    await createContext('remote', { Host: 'tcp://127.0.0.1:2376', SkipTLSVerify: true });
    const found = await resolve({ DOCKER_CONTEXT: 'remote' });
    expect(found?.endpoint).toMatchObject({ tls: { verify: false, filesOptional: true } });
  });

  test('ssh host', async () => {
    await createContext('remote', { Host: 'ssh://me@127.0.0.1:2222' });
    const found = await resolve({ DOCKER_CONTEXT: 'remote' });
    expect(found?.endpoint).toEqual({
      protocol: 'ssh',
      host: '127.0.0.1',
      port: 2222,
      username: 'me',
      dockerContext: 'remote',
    });
  });
});
