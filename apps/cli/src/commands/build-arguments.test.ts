import { describe, expect, it } from 'vitest';
import { UsageError } from '../usage-error.js';
import { readBuildArguments } from './build-arguments.js';

function read(argv: string[]) {
  return readBuildArguments(argv, {});
}

describe('readBuildArguments flag forms', () => {
  it('reads -f=path as docker does', () => {
    expect(read(['-f=Dockerfile.dev', '.']).file).toBe('Dockerfile.dev');
  });

  it('reads -t=name as docker does', () => {
    expect(read(['-t=app:1', '.']).tags).toEqual(['app:1']);
  });

  it.each([
    ['-q=true', 'quiet'],
    ['-q=1', 'quiet'],
    ['-q=false', 'classic'],
    ['--quiet=True', 'quiet'],
    ['--quiet=0', 'classic'],
  ])('reads %s', (flag, progress) => {
    expect(read([flag, '.']).progress).toBe(progress);
  });

  it.each([
    ['--no-cache=true', true],
    ['--no-cache=false', false],
    ['--no-cache=F', false],
  ])('reads %s', (flag, noCache) => {
    expect(read([flag, '.']).noCache).toBe(noCache);
  });

  it('rejects a boolean value it cannot read', () => {
    expect(() => read(['--no-cache=maybe', '.'])).toThrow(UsageError);
    expect(() => read(['--no-cache=maybe', '.'])).toThrow(
      'Invalid --no-cache value "maybe"; use true or false',
    );
  });

  it('keeps arguments after -- as they are', () => {
    expect(read(['--', '-q=true']).contextDir).toBe('-q=true');
  });

  it('still reports an unknown flag with a value', () => {
    expect(() => read(['--nope=1', '.'])).toThrow('unknown flag: --nope');
  });

  it("reads --pull=never and docker build's boolean --pull values", () => {
    expect(read(['--pull=never', '.']).pull).toBe('never');
    expect(read(['--pull=true', '.']).pull).toBe('always');
    expect(read(['--pull=1', '.']).pull).toBe('always');
    expect(read(['--pull=false', '.']).pull).toBe('missing');
    expect(read(['--pull=0', '.']).pull).toBe('missing');
  });
});

describe('readBuildArguments --rm and --force-rm', () => {
  it.each([
    [[], 'none'],
    [['--rm'], 'none'],
    [['--force-rm'], 'none'],
    [['--force-rm=false'], 'failed'],
    [['--rm', '--force-rm=false'], 'failed'],
    [['--rm=false'], 'all'],
    [['--rm=false', '--force-rm=false'], 'all'],
    [['--rm=0', '--force-rm'], 'none'],
  ])('reads %j as %s', (flags, keep) => {
    expect(read([...flags, '.']).keepContainers).toBe(keep);
  });

  it('rejects a value it cannot read', () => {
    expect(() => read(['--rm=maybe', '.'])).toThrow('Invalid --rm value "maybe"');
  });

  it('leaves --rm after -- as the PATH', () => {
    expect(read(['--', '--rm']).contextDir).toBe('--rm');
  });
});

describe('readBuildArguments resource flags', () => {
  it('reads them as docker build does', () => {
    const flags = ['--add-host', 'db:10.0.0.5', '--add-host=gw:host-gateway', '--shm-size', '64m'];
    const more = ['-m', '1g', '--memory-swap=-1', '--cpu-shares', '512', '--cpuset-cpus', '0-1'];
    expect(read([...flags, ...more, '.']).runContainer).toEqual({
      extraHosts: ['db:10.0.0.5', 'gw:host-gateway'],
      shmSize: 64 * 1024 ** 2,
      memory: 1024 ** 3,
      memorySwap: -1,
      cpuShares: 512,
      cpusetCpus: '0-1',
    });
  });

  it.each([
    ['1024', 1024],
    ['512k', 512 * 1024],
    ['1.5g', 1.5 * 1024 ** 3],
    ['100MB', 100 * 1024 ** 2],
    ['2 GiB', 2 * 1024 ** 3],
  ])('reads the size %s', (size, bytes) => {
    expect(read(['--shm-size', size, '.']).runContainer?.shmSize).toBe(bytes);
  });

  it('leaves the settings out when no flag is given', () => {
    expect(read(['.']).runContainer).toBeUndefined();
  });

  it.each([
    [['--add-host', 'db'], 'Invalid --add-host value "db"; write name:ip, such as db:10.0.0.5'],
    [['--add-host', 'db:not-an-ip'], 'Invalid --add-host value "db:not-an-ip"'],
    [['-m', 'lots'], 'Invalid --memory value "lots"; write a size such as 512m'],
    [['--cpu-shares', 'half'], 'Invalid --cpu-shares value "half"'],
    [['--cpuset-cpus', 'all'], 'Invalid --cpuset-cpus value "all"'],
  ])('rejects %j', (flags, message) => {
    expect(() => read([...flags, '.'])).toThrow(message);
  });

  it('names a docker build flag that gantry does not take', () => {
    expect(() => read(['--cache-from', 'app:1', '.'])).toThrow(
      '--cache-from is a docker build flag that gantry build does not support; leave it out',
    );
  });

  it.each([
    ['linux/arm64', 'linux/arm64'],
    ['linux/arm/v7', 'linux/arm/v7'],
    ['linux', 'linux'],
    ['arm64', 'arm64'],
    ['', undefined],
  ])('reads --platform %j', (value, platform) => {
    expect(read(['--platform', value, '.']).platform).toBe(platform);
  });

  it.each(['linux/arm/v7/extra', 'linux//amd64', 'linux amd64'])(
    'rejects --platform %j',
    (value) => {
      expect(() => read(['--platform', value, '.'])).toThrow(
        `Invalid --platform value ${JSON.stringify(value)}; write os/arch[/variant]`,
      );
    },
  );
});

describe('readBuildArguments cgroup and ulimit flags', () => {
  it('reads them as docker build does', () => {
    const flags = ['--ulimit', 'nofile=1024:2048', '--ulimit=core=0:-1', '--cgroup-parent', '/ci'];
    const more = ['--cpu-period', '100000', '--cpu-quota', '-1', '--cpuset-mems', '0-1'];
    expect(read([...flags, ...more, '.']).runContainer).toEqual({
      ulimits: [
        { name: 'core', soft: 0, hard: -1 },
        { name: 'nofile', soft: 1024, hard: 2048 },
      ],
      cgroupParent: '/ci',
      cpuPeriod: 100000,
      cpuQuota: -1,
      cpusetMems: '0-1',
    });
  });

  it.each([
    ['nproc=100', { name: 'nproc', soft: 100, hard: 100 }],
    ['nofile=-1', { name: 'nofile', soft: -1, hard: -1 }],
    ['nofile=10:-1', { name: 'nofile', soft: 10, hard: -1 }],
    ['nofile=-5:10', { name: 'nofile', soft: -5, hard: 10 }],
    ['stack=+8192', { name: 'stack', soft: 8192, hard: 8192 }],
  ])('reads --ulimit %s', (value, ulimit) => {
    expect(read(['--ulimit', value, '.']).runContainer?.ulimits).toEqual([ulimit]);
  });

  it('keeps the last --ulimit of a name', () => {
    const flags = ['--ulimit', 'nproc=5', '--ulimit', 'nofile=1', '--ulimit', 'nproc=7'];
    expect(read([...flags, '.']).runContainer?.ulimits).toEqual([
      { name: 'nofile', soft: 1, hard: 1 },
      { name: 'nproc', soft: 7, hard: 7 },
    ]);
  });

  it.each([
    ['nofile', 'Invalid --ulimit value "nofile"; write name=soft[:hard], such as nofile=1024:2048'],
    ['', 'Invalid --ulimit value ""; write name=soft[:hard]'],
    ['nofile=1:2:3', 'Invalid --ulimit value "nofile=1:2:3"; write name=soft[:hard]'],
    ['nofiles=1', 'unknown limit name "nofiles"; use one of core, cpu, data,'],
    ['nofiles=1', '; did you mean nofile?'],
    ['NOFILE=1', 'unknown limit name "NOFILE"'],
    ['nofile=', ': "" is not a whole number; write name=soft[:hard]'],
    ['nofile=1k', ': "1k" is not a whole number'],
    ['nofile=0x10', ': "0x10" is not a whole number'],
    ['nofile=99999999999999999999', ': 99999999999999999999 is out of range'],
    ['nofile=2048:1024', ': the soft limit 2048 is above the hard limit 1024'],
    ['nofile=-1:10', ': the soft limit -1 (unlimited) is above the hard limit 10'],
    ['nofile=5:-2', ': the soft limit 5 is above the hard limit -2'],
  ])('rejects --ulimit %j', (value, message) => {
    expect(() => read(['--ulimit', value, '.'])).toThrow(UsageError);
    expect(() => read(['--ulimit', value, '.'])).toThrow(message);
  });

  it.each([
    [
      ['--cpu-period', 'abc'],
      'Invalid --cpu-period value "abc"; write a whole number of microseconds',
    ],
    [['--cpu-quota', '1e5'], 'Invalid --cpu-quota value "1e5"'],
    [['--cpu-quota', '1.5'], 'Invalid --cpu-quota value "1.5"'],
    [['--cpuset-mems', 'abc'], 'Invalid --cpuset-mems value "abc"; write memory node numbers'],
  ])('rejects %j', (flags, message) => {
    expect(() => read([...flags, '.'])).toThrow(message);
  });

  it('leaves out empty --cgroup-parent and --cpuset-mems', () => {
    expect(read(['--cgroup-parent', '', '--cpuset-mems=', '.']).runContainer).toBeUndefined();
  });

  it('reads -c as --cpu-shares', () => {
    expect(read(['-c', '256', '.']).runContainer?.cpuShares).toBe(256);
  });

  it.each([
    [['--memory-swap', '-1'], { memorySwap: -1 }],
    [['--cpu-quota', '-1'], { cpuQuota: -1 }],
    [['--cgroup-parent', '-ci'], { cgroupParent: '-ci' }],
  ])('reads a value with a dash in %j', (flags, settings) => {
    expect(read([...flags, '.']).runContainer).toEqual(settings);
  });
});

describe('readBuildArguments --security-opt and --isolation', () => {
  it.each([['seccomp=unconfined'], ['no-new-privileges'], ['a,b']])(
    'rejects --security-opt %j',
    (value) => {
      expect(() => read(['--security-opt', value, '.'])).toThrow(UsageError);
      expect(() => read(['--security-opt', value, '.'])).toThrow(
        `Invalid --security-opt value ${JSON.stringify(value)}: the classic builder of Docker Engine on Linux does not support security options on build`,
      );
    },
  );

  it('takes an empty --security-opt', () => {
    expect(read(['--security-opt', '', '.']).contextDir).toBe('.');
  });

  it.each(['default', 'DEFAULT', ''])('takes --isolation %j', (value) => {
    expect(read(['--isolation', value, '.']).contextDir).toBe('.');
  });

  it.each(['hyperv', 'process', 'bogus'])('rejects --isolation %j', (value) => {
    expect(() => read(['--isolation', value, '.'])).toThrow(UsageError);
    expect(() => read(['--isolation', value, '.'])).toThrow(
      `Invalid --isolation value ${JSON.stringify(value)}: unsupported isolation on Linux; leave --isolation out or write default`,
    );
  });
});
