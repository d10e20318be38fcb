import { describe, expect, it } from 'vitest';
import { parseBuildQuery } from './build-query.js';
import { ServerError } from './errors.js';

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
    ['rm=', 'none'],
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

describe('parseBuildQuery cgroup and ulimit parameters', () => {
  it('reads the parameters the docker CLI sends', () => {
    // Sent by `DOCKER_BUILDKIT=0 docker build --ulimit nofile=1024:2048 --ulimit nproc=100
    // --cgroup-parent /gantry-test --cpu-period 100000 --cpu-quota 50000 --cpuset-mems 0`.
    const query = new URLSearchParams(
      'buildargs=%7B%7D&cachefrom=%5B%5D&cgroupparent=%2Fgantry-test&cpuperiod=100000' +
        '&cpuquota=50000&cpusetcpus=&cpusetmems=0&cpushares=0&dockerfile=Dockerfile' +
        '&labels=%7B%7D&memory=0&memswap=0&networkmode=default&rm=1&shmsize=0&target=' +
        '&ulimits=%5B%7B%22Name%22%3A%22nofile%22%2C%22Hard%22%3A2048%2C%22Soft%22%3A1024%7D' +
        '%2C%7B%22Name%22%3A%22nproc%22%2C%22Hard%22%3A100%2C%22Soft%22%3A100%7D%5D&version=1',
    );
    expect(parseBuildQuery(query).runContainer).toEqual({
      extraHosts: undefined,
      shmSize: undefined,
      memory: undefined,
      memorySwap: undefined,
      cpuShares: undefined,
      cpusetCpus: undefined,
      cpusetMems: '0',
      cpuPeriod: 100000,
      cpuQuota: 50000,
      cgroupParent: '/gantry-test',
      ulimits: [
        { name: 'nofile', soft: 1024, hard: 2048 },
        { name: 'nproc', soft: 100, hard: 100 },
      ],
    });
  });

  it('reads cpuquota=-1', () => {
    const query = new URLSearchParams({ cpuquota: '-1' });
    expect(parseBuildQuery(query).runContainer?.cpuQuota).toBe(-1);
  });

  it.each(['', 'null', '[]'])('ulimits=%j sets no ulimits', (value) => {
    expect(parseBuildQuery(new URLSearchParams({ ulimits: value })).runContainer).toBeUndefined();
  });

  it.each([
    ['[{"name":"nofile","soft":100,"HARD":200}]', { name: 'nofile', soft: 100, hard: 200 }],
    ['[{"Name":"core"}]', { name: 'core', soft: 0, hard: 0 }],
    ['[{"Name":"nofile","Soft":-1,"Hard":-1}]', { name: 'nofile', soft: -1, hard: -1 }],
  ])('reads ulimits %s as Go does', (value, ulimit) => {
    const query = new URLSearchParams({ ulimits: value });
    expect(parseBuildQuery(query).runContainer?.ulimits).toEqual([ulimit]);
  });

  it.each([
    ['bad', 'Invalid ulimits: expected a JSON array'],
    ['{}', 'Invalid ulimits: expected a JSON array'],
    ['[1]', 'Invalid ulimits entry "1"'],
    ['[{"Name":1}]', 'Invalid ulimits entry "{\\"Name\\":1}": expected a string Name'],
    ['[{"Name":"nofile","Soft":1.5}]', 'whole-number Soft and Hard limits'],
    ['[{"Name":"nofile","Soft":"1"}]', 'whole-number Soft and Hard limits'],
  ])('rejects ulimits %s', (value, message) => {
    const query = new URLSearchParams({ ulimits: value });
    expect(() => parseBuildQuery(query)).toThrow(ServerError);
    expect(() => parseBuildQuery(query)).toThrow(message);
  });

  it.each([
    ['cpuperiod', 'abc', 'Invalid cpuperiod "abc": expected a whole number of microseconds.'],
    ['cpuquota', '1.5', 'Invalid cpuquota "1.5": expected a whole number of microseconds.'],
    ['memory', 'lots', 'Invalid memory "lots": expected a whole number of bytes.'],
  ])('rejects %s=%s', (parameter, value, message) => {
    const query = new URLSearchParams({ [parameter]: value });
    expect(() => parseBuildQuery(query)).toThrow(message);
  });
});

describe('parseBuildQuery securityopt and isolation', () => {
  it.each(['seccomp=unconfined', '', '[]'])(
    'rejects securityopt=%j as the engine does',
    (value) => {
      const query = new URLSearchParams({ securityopt: value });
      expect(() => parseBuildQuery(query)).toThrow(ServerError);
      expect(() => parseBuildQuery(query)).toThrow(
        `Unsupported securityopt ${JSON.stringify(value)}: Docker Engine on Linux does not support setting security options on build`,
      );
    },
  );

  it.each(['', 'default', 'Default'])('takes isolation=%j', (value) => {
    const query = new URLSearchParams({ isolation: value });
    expect(parseBuildQuery(query).runContainer).toBeUndefined();
  });

  it.each(['hyperv', 'process'])('rejects isolation=%j', (value) => {
    const query = new URLSearchParams({ isolation: value });
    expect(() => parseBuildQuery(query)).toThrow(
      `Unsupported isolation "${value}": on Linux the only isolation is default`,
    );
  });
});
