import { describe, expect, test } from 'vitest';
import { EngineAddressError } from '../errors.js';
import { formatEndpoint, parseEngineAddress } from './endpoint.js';

describe('parseEngineAddress', () => {
  test.each([
    ['unix:///var/run/docker.sock', { protocol: 'unix', socketPath: '/var/run/docker.sock' }],
    ['tcp://127.0.0.1:2375', { protocol: 'tcp', host: '127.0.0.1', port: 2375 }],
    ['tcp://docker.example', { protocol: 'tcp', host: 'docker.example', port: 2375 }],
    ['127.0.0.1:4243', { protocol: 'tcp', host: '127.0.0.1', port: 4243 }],
    ['tcp://[::1]:2375', { protocol: 'tcp', host: '::1', port: 2375 }],
    ['ssh://me@build-host', { protocol: 'ssh', host: 'build-host', port: 22, username: 'me' }],
    ['ssh://build-host:2222', { protocol: 'ssh', host: 'build-host', port: 2222 }],
  ])('%s', (address, expected) => {
    expect(parseEngineAddress(address)).toEqual(expected);
  });

  test('tcp with TLS defaults to port 2376', () => {
    const tls = { certPath: '/certs', verify: true };
    expect(parseEngineAddress('tcp://10.0.0.1', tls)).toEqual({
      protocol: 'tcp',
      host: '10.0.0.1',
      port: 2376,
      tls,
    });
  });

  test.each([
    ['npipe:////./pipe/docker_engine', /scheme "npipe:" is not supported/],
    ['unix://relative.sock', /must be absolute/],
    ['tcp://:2375', /host name is missing|not a URL/],
  ])('rejects %s', (address, message) => {
    expect(() => parseEngineAddress(address)).toThrow(EngineAddressError);
    expect(() => parseEngineAddress(address)).toThrow(message);
  });
});

describe('formatEndpoint', () => {
  test('ssh with user and port', () => {
    const endpoint = parseEngineAddress('ssh://me@host:2222');
    expect(formatEndpoint(endpoint)).toBe('ssh://me@host:2222');
  });

  test('tcp with TLS is marked', () => {
    const endpoint = parseEngineAddress('tcp://host:2376', { certPath: '/c', verify: false });
    expect(formatEndpoint(endpoint)).toBe('tcp://host:2376 (TLS)');
  });
});
