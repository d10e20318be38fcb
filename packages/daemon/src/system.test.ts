import net from 'node:net';
import Dockerode from 'dockerode';
import { describe, expect, test, vi } from 'vitest';
import { negotiateApiVersion } from './connection/api-version.js';
import { connectDockerEngine, createDockerEngine } from './docker-engine.js';
import { startEngineProxy } from './test-proxy.js';

describe('system', () => {
  test('connect negotiates the API version', async () => {
    const engine = await connectDockerEngine({ host: 'unix:///var/run/docker.sock' });
    const version = await engine.system.version();
    expect(engine.address).toBe('unix:///var/run/docker.sock');
    expect(engine.apiVersion).toBe(negotiateApiVersion(version.ApiVersion));
    expect(engine.apiVersion).toMatch(/^1\.\d+$/);
  });

  // Node.js's http agent calls net.isIP on the Host header of each request
  // unless its options carry a TLS server name. The first call is slow.
  test('socket requests skip the server name', async () => {
    const isIP = vi.spyOn(net, 'isIP');
    try {
      const engine = await connectDockerEngine({ host: 'unix:///var/run/docker.sock' });
      await engine.system.version();
      expect(isIP).not.toHaveBeenCalled();
    } finally {
      isIP.mockRestore();
    }
  });

  test('ping, version, info', async () => {
    const engine = await connectDockerEngine();
    const ping = await engine.system.ping();
    const version = await engine.system.version();
    expect(version.ApiVersion).toMatch(/^1\.\d+$/);
    expect(ping.apiVersion).toBe(version.ApiVersion);
    expect(ping.osType).toBe(version.Os);
    const info = await engine.system.info();
    expect(info.ServerVersion).toBe(version.Version);
  });

  test('explicit API version skips negotiation', async () => {
    const engine = await connectDockerEngine({ apiVersion: '1.40' });
    expect(engine.apiVersion).toBe('1.40');
    await expect(engine.system.ping()).resolves.toMatchObject({ osType: 'linux' });
  });

  test('tcp address through a local proxy', async () => {
    await using proxy = await startEngineProxy();
    const engine = await connectDockerEngine({ host: `tcp://127.0.0.1:${proxy.port}` });
    expect(engine.address).toBe(`tcp://127.0.0.1:${proxy.port}`);
    expect((await engine.system.info()).ServerVersion).toMatch(/^\d+\./);
    expect(proxy.connections).toBeGreaterThan(0);
  });

  test('DOCKER_HOST from the strategy context', async () => {
    await using proxy = await startEngineProxy();
    const engine = await connectDockerEngine({
      strategyContext: {
        env: { DOCKER_HOST: `tcp://127.0.0.1:${proxy.port}` },
        homeDir: '/nonexistent',
        exists: async () => false,
      },
    });
    expect(engine.address).toBe(`tcp://127.0.0.1:${proxy.port}`);
    await engine.system.ping();
  });

  test('injected dockerode instance', async () => {
    const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });
    const engine = createDockerEngine(docker);
    expect(engine.address).toBe('unix:///var/run/docker.sock');
    expect(engine.apiVersion).toBeUndefined();
    await expect(engine.system.ping()).resolves.toMatchObject({ apiVersion: expect.any(String) });
  });
});
