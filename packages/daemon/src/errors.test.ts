import { TEST_LABEL } from '@gantry/testing';
import Dockerode from 'dockerode';
import { describe, expect, test } from 'vitest';
import { connectDockerEngine, createDockerEngine } from './docker-engine.js';
import { EngineAddressError, EngineUnreachableError } from './errors.js';
import { BUSYBOX } from './test-engine.js';
import { startEngineProxy, unusedPort } from './test-proxy.js';

const FAST_RETRY = { retries: 2, initialDelayMs: 10 };

describe('engine unreachable', () => {
  test('unix socket that does not exist', async () => {
    const connect = connectDockerEngine({ host: 'unix:///tmp/gantry-no-such-engine.sock' });
    await expect(connect).rejects.toThrow(EngineUnreachableError);
    await expect(connect).rejects.toMatchObject({
      code: 'ERR_ENGINE_UNREACHABLE',
      address: 'unix:///tmp/gantry-no-such-engine.sock',
      cause: { code: 'ENOENT' },
    });
    await expect(connect).rejects.toThrow(/the socket does not exist/);
    await expect(connect).rejects.toThrow(/Start the engine .* or set DOCKER_HOST/);
  });

  test('tcp port with nothing listening', async () => {
    const port = await unusedPort();
    const connect = connectDockerEngine({ host: `tcp://127.0.0.1:${port}`, retry: FAST_RETRY });
    await expect(connect).rejects.toThrow(EngineUnreachableError);
    await expect(connect).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
    await expect(connect).rejects.toThrow(
      `tcp://127.0.0.1:${port} is unreachable (connection refused)`,
    );
  });

  test('each call on an unreachable engine', async () => {
    const docker = new Dockerode({ socketPath: '/tmp/gantry-no-such-engine.sock' });
    const engine = createDockerEngine(docker);
    await expect(engine.system.ping()).rejects.toThrow(EngineUnreachableError);
    await expect(engine.images.inspect(BUSYBOX)).rejects.toThrow(EngineUnreachableError);
    const create = engine.containers.create({ config: { Image: BUSYBOX } });
    await expect(create).rejects.toThrow(EngineUnreachableError);
  });

  test('invalid DOCKER_HOST', async () => {
    const connect = connectDockerEngine({
      strategyContext: {
        env: { DOCKER_HOST: 'ftp://host' },
        homeDir: '/',
        exists: async () => false,
      },
    });
    await expect(connect).rejects.toThrow(EngineAddressError);
    await expect(connect).rejects.toMatchObject({ code: 'ERR_ENGINE_ADDRESS' });
  });
});

describe('retry of transient failures', () => {
  test('reads are retried after connection resets', async () => {
    await using proxy = await startEngineProxy(undefined, 2);
    const docker = new Dockerode({ host: '127.0.0.1', port: proxy.port });
    const engine = createDockerEngine(docker, { retry: FAST_RETRY });
    const version = await engine.system.version();
    expect(version.ApiVersion).toMatch(/^1\./);
    expect(proxy.connections).toBe(3);
  });

  test('reads give up after the retries', async () => {
    await using proxy = await startEngineProxy(undefined, 10);
    const docker = new Dockerode({ host: '127.0.0.1', port: proxy.port });
    const engine = createDockerEngine(docker, { retry: FAST_RETRY });
    const read = engine.images.list();
    await expect(read).rejects.toThrow(EngineUnreachableError);
    await expect(read).rejects.toThrow(/the connection was reset/);
    expect(proxy.connections).toBe(3);
  });

  test('writes are never retried', async () => {
    await using proxy = await startEngineProxy(undefined, 1);
    const docker = new Dockerode({ host: '127.0.0.1', port: proxy.port });
    const engine = createDockerEngine(docker, { retry: FAST_RETRY });
    const labels = { [TEST_LABEL]: 'writes-not-retried' };
    const create = engine.containers.create({ config: { Image: BUSYBOX, Labels: labels } });
    await expect(create).rejects.toThrow(EngineUnreachableError);
    expect(proxy.connections).toBe(1);
  });
});
