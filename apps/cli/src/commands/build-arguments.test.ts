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
