import { describe, expect, it } from 'vitest';
import { parseBuildQuery } from './build-query.js';

describe('parseBuildQuery', () => {
  it('empty query gives the defaults', () => {
    expect(parseBuildQuery(new URLSearchParams())).toEqual({
      tags: [],
      dockerfile: 'Dockerfile',
      buildArgs: {},
      labels: {},
      target: undefined,
      noCache: false,
      quiet: false,
      networkMode: undefined,
      pull: 'missing',
      keepContainers: 'none',
      runContainer: undefined,
      platform: undefined,
    });
  });

  it('reads platform', () => {
    expect(parseBuildQuery(new URLSearchParams('platform=linux%2Farm64')).platform).toBe(
      'linux/arm64',
    );
  });

  it('reads the resource parameters the docker CLI sends', () => {
    const query = new URLSearchParams(
      'extrahosts=a%3A1.2.3.4&extrahosts=b%3A5.6.7.8&shmsize=67108864&memory=134217728' +
        '&memswap=-1&cpushares=512&cpusetcpus=0&cpuperiod=0&cpuquota=0&cpusetmems=',
    );
    expect(parseBuildQuery(query).runContainer).toEqual({
      extraHosts: ['a:1.2.3.4', 'b:5.6.7.8'],
      shmSize: 67108864,
      memory: 134217728,
      memorySwap: -1,
      cpuShares: 512,
      cpusetCpus: '0',
    });
  });

  it.each([
    ['rm=1&forcerm=0', 'none'],
    ['rm=0', 'all'],
    ['rm=0&forcerm=0', 'all'],
    ['rm=0&forcerm=1', 'none'],
    ['forcerm=1', 'none'],
  ])('%s keeps %s', (text, keep) => {
    expect(parseBuildQuery(new URLSearchParams(text)).keepContainers).toBe(keep);
  });

  it('reads repeated t and the options', () => {
    const query = new URLSearchParams(
      't=app:1&t=registry.local:5000/app:2&dockerfile=docker/./app.Dockerfile&target=build' +
        '&nocache=1&q=true&networkmode=none&pull=1',
    );
    const request = parseBuildQuery(query);
    expect(request.tags).toEqual(['app:1', 'registry.local:5000/app:2']);
    expect(request.dockerfile).toBe('docker/app.Dockerfile');
    expect(request.target).toBe('build');
    expect(request.noCache).toBe(true);
    expect(request.quiet).toBe(true);
    expect(request.networkMode).toBe('none');
    expect(request.pull).toBe('always');
  });

  it.each([
    ['default', undefined],
    ['bridge', undefined],
    ['host', 'host'],
    ['none', 'none'],
  ])('networkmode=%s is %s', (value, expected) => {
    const query = new URLSearchParams({ networkmode: value });
    expect(parseBuildQuery(query).networkMode).toBe(expected);
  });

  it('networkmode with another network name is rejected', () => {
    const query = new URLSearchParams({ networkmode: 'user-network' });
    expect(() => parseBuildQuery(query)).toThrow(/Invalid networkmode "user-network"/);
  });

  it('build args sent as null are left out', () => {
    const query = new URLSearchParams({ buildargs: '{"A":"1","B":null}' });
    expect(parseBuildQuery(query).buildArgs).toEqual({ A: '1' });
  });

  it.each(['0', 'no', 'false', 'none', ''])('nocache=%s is false', (value) => {
    expect(parseBuildQuery(new URLSearchParams({ nocache: value })).noCache).toBe(false);
  });

  it('invalid buildargs message does not quote the value', () => {
    const query = new URLSearchParams({ buildargs: '{"TOKEN":"s3cret' });
    expect(() => parseBuildQuery(query)).toThrow(/Invalid buildargs/);
    expect(() => parseBuildQuery(query)).not.toThrow(/s3cret/);
  });
});
