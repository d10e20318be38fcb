import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isLoopback, resolveOptions } from './options.js';
import { SERVER_VERSION } from './version.js';

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.10', false],
    ['128.0.0.1', false],
    ['example.com', false],
  ])('%s is %s', (host, expected) => {
    expect(isLoopback(host)).toBe(expected);
  });
});

describe('resolveOptions', () => {
  it('defaults to loopback and no token', () => {
    const options = resolveOptions({});
    expect(options.host).toBe('127.0.0.1');
    expect(options.token).toBeUndefined();
    expect(options.maxConcurrentBuilds).toBe(4);
    expect(options.maxQueuedBuilds).toBe(16);
    expect(options.maxKeptOutputBytes).toBe(4 * 1024 * 1024);
  });

  it('other address with a token is accepted', () => {
    expect(resolveOptions({ host: '0.0.0.0', token: 'secret' }).host).toBe('0.0.0.0');
  });

  it('other address without a token is rejected', () => {
    expect(() => resolveOptions({ host: '::' })).toThrow(/Refusing to listen on "::"/);
  });

  it('bracketed IPv6 host is unbracketed', () => {
    expect(resolveOptions({ host: '[::1]' }).host).toBe('::1');
  });

  it.each([
    ['port', { port: -1 }],
    ['port', { port: 65_536 }],
    ['maxContextBytes', { maxContextBytes: 0 }],
    ['maxConcurrentBuilds', { maxConcurrentBuilds: 1.5 }],
    ['maxQueuedBuilds', { maxQueuedBuilds: -2 }],
    ['maxKeptOutputBytes', { maxKeptOutputBytes: 0 }],
  ])('invalid %s is rejected', (name, options) => {
    expect(() => resolveOptions(options)).toThrow(`Invalid ${name}`);
  });
});

describe('SERVER_VERSION', () => {
  it('matches package.json', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(SERVER_VERSION).toBe(manifest.version);
  });
});
