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

  it('keeps --pull=never', () => {
    expect(read(['--pull=never', '.']).pull).toBe('never');
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
