import { describe, expect, test } from 'vitest';
import {
  DEFAULT_STRATEGIES,
  defaultSocketStrategy,
  desktopSocketStrategy,
  findEndpoint,
  rootlessSocketStrategy,
  type StrategyContext,
} from './strategies.js';

function context(env: Record<string, string>, existing: string[] = []): StrategyContext {
  return { env, homeDir: '/home/me', exists: async (path) => existing.includes(path) };
}

describe('findEndpoint', () => {
  test('DOCKER_HOST comes first', async () => {
    const found = await findEndpoint(
      DEFAULT_STRATEGIES,
      context({ DOCKER_HOST: 'tcp://127.0.0.1:2375', XDG_RUNTIME_DIR: '/run/user/1000' }, [
        '/run/user/1000/docker.sock',
      ]),
    );
    expect(found?.strategy).toBe('DOCKER_HOST');
    expect(found?.endpoint).toEqual({ protocol: 'tcp', host: '127.0.0.1', port: 2375 });
  });

  test('DOCKER_TLS_VERIFY with DOCKER_CERT_PATH', async () => {
    const env = {
      DOCKER_HOST: 'tcp://10.1.2.3',
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: '/certs',
    };
    const found = await findEndpoint(DEFAULT_STRATEGIES, context(env));
    expect(found?.endpoint).toEqual({
      protocol: 'tcp',
      host: '10.1.2.3',
      port: 2376,
      tls: { certPath: '/certs', verify: true },
    });
  });

  test('DOCKER_TLS without verify uses ~/.docker', async () => {
    const env = { DOCKER_HOST: 'tcp://10.1.2.3:2376', DOCKER_TLS: '1' };
    const found = await findEndpoint(DEFAULT_STRATEGIES, context(env));
    expect(found?.endpoint).toMatchObject({ tls: { certPath: '/home/me/.docker', verify: false } });
  });

  test('rootless socket not in the default order', async () => {
    const env = { XDG_RUNTIME_DIR: '/run/user/1000', DOCKER_CONFIG: '/nonexistent' };
    const found = await findEndpoint(
      DEFAULT_STRATEGIES,
      context(env, ['/run/user/1000/docker.sock', '/home/me/.docker/run/docker.sock']),
    );
    expect(found?.strategy).toBe('default socket');
  });

  test('rootless socket when passed', async () => {
    const env = { XDG_RUNTIME_DIR: '/run/user/1000' };
    const found = await findEndpoint(
      [rootlessSocketStrategy, desktopSocketStrategy, defaultSocketStrategy],
      context(env, ['/run/user/1000/docker.sock']),
    );
    expect(found?.strategy).toBe('rootless socket');
    expect(found?.endpoint).toEqual({ protocol: 'unix', socketPath: '/run/user/1000/docker.sock' });
  });

  test('Docker Desktop socket when passed', async () => {
    const found = await findEndpoint(
      [rootlessSocketStrategy, desktopSocketStrategy, defaultSocketStrategy],
      context({ XDG_RUNTIME_DIR: '/run/user/1000' }, ['/home/me/.docker/run/docker.sock']),
    );
    expect(found?.strategy).toBe('Docker Desktop socket');
  });

  test('default socket when nothing else applies', async () => {
    const found = await findEndpoint(DEFAULT_STRATEGIES, context({ DOCKER_HOST: '' }));
    expect(found?.strategy).toBe('default socket');
    expect(found?.endpoint).toEqual({ protocol: 'unix', socketPath: '/var/run/docker.sock' });
  });
});
