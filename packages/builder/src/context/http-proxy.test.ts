import { describe, expect, it } from 'vitest';
import { HttpProxyError, proxyAuthorization, proxyFor } from './http-proxy.js';

const PROXY = 'http://proxy.example:3128';

function proxied(url: string, env: NodeJS.ProcessEnv): string | undefined {
  return proxyFor(new URL(url), env)?.href;
}

describe('proxyFor', () => {
  it.each([
    ['http://files.example/a', { HTTP_PROXY: PROXY }, `${PROXY}/`],
    ['https://files.example/a', { HTTPS_PROXY: PROXY }, `${PROXY}/`],
    ['https://files.example/a', { HTTP_PROXY: PROXY }, undefined],
    ['http://files.example/a', { http_proxy: PROXY }, `${PROXY}/`],
    ['http://files.example/a', { HTTP_PROXY: PROXY, http_proxy: 'http://other:1' }, `${PROXY}/`],
    ['http://files.example/a', { HTTP_PROXY: 'proxy.example:3128' }, `${PROXY}/`],
    ['http://files.example/a', { HTTP_PROXY: '' }, undefined],
    ['http://localhost:8080/a', { HTTP_PROXY: PROXY }, undefined],
    ['http://127.0.0.5/a', { HTTP_PROXY: PROXY }, undefined],
    ['http://[::1]:8080/a', { HTTP_PROXY: PROXY }, undefined],
  ])('%s with %o', (url, env, expected) => {
    expect(proxied(url, env)).toBe(expected);
  });

  it.each([
    ['files.example', 'http://files.example/a', true],
    ['files.example', 'http://cdn.files.example/a', true],
    ['.files.example', 'http://cdn.files.example/a', true],
    ['*.files.example', 'http://files.example/a', true],
    ['files.example', 'http://otherfiles.example/a', false],
    ['files.example:8080', 'http://files.example:8080/a', true],
    ['files.example:8080', 'http://files.example/a', false],
    ['*', 'http://anything.example/a', true],
    ['10.0.0.7', 'http://10.0.0.7/a', true],
    ['10.0.0.0/8', 'http://10.1.2.3/a', true],
    ['10.0.0.0/8', 'http://11.1.2.3/a', false],
    ['fd00::/8', 'http://[fd00::5]/a', true],
    [' other.example , FILES.example ', 'http://files.example/a', true],
  ])('NO_PROXY=%s for %s bypasses: %s', (noProxy, url, bypasses) => {
    const env = { HTTP_PROXY: PROXY, NO_PROXY: noProxy };
    expect(proxied(url, env)).toBe(bypasses ? undefined : `${PROXY}/`);
  });

  it('reads no_proxy', () => {
    expect(
      proxied('http://files.example/a', { HTTP_PROXY: PROXY, no_proxy: 'files.example' }),
    ).toBe(undefined);
  });

  it.each([
    ['socks5://proxy.example:1080', /is a socks5 proxy, which ADD does not support/],
    ['http://[bad', /is not a URL; write it as http:\/\/HOST:PORT/],
  ])('rejects HTTP_PROXY=%s', (value, message) => {
    const url = new URL('http://files.example/a');
    expect(() => proxyFor(url, { HTTP_PROXY: value })).toThrow(HttpProxyError);
    expect(() => proxyFor(url, { HTTP_PROXY: value })).toThrow(message);
  });
});

describe('proxyAuthorization', () => {
  it('encodes the user and password of the URL', () => {
    const header = proxyAuthorization(new URL('http://me%40work:p%3Ass@proxy.example:3128'));
    expect(header).toEqual({
      'Proxy-Authorization': `Basic ${Buffer.from('me@work:p:ss').toString('base64')}`,
    });
  });

  it('is empty without a user', () => {
    expect(proxyAuthorization(new URL(PROXY))).toEqual({});
  });
});
