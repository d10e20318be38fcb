import { describe, expect, it } from 'vitest';
import { readCsvRecord } from './csv.js';
import { parseMount } from './parse-mount.js';
import { parseSize } from './size.js';

function mountOf(text: string): unknown {
  const result = parseMount(text);
  if (result.status !== 'parsed') {
    throw new Error(`expected ${text} to parse, got ${JSON.stringify(result)}`);
  }
  return result.value;
}

function problemOf(text: string): { message: string; code: string; suggestion?: string } {
  const result = parseMount(text);
  if (result.status !== 'invalid') {
    throw new Error(`expected ${text} to be invalid, got ${result.status}`);
  }
  return result.error;
}

describe('parseMount', () => {
  it.each([
    ['target=/src', { type: 'bind', target: '/src', readOnly: true, required: false }],
    [
      'type=bind,source=go.sum,target=go.sum,rw',
      { type: 'bind', source: 'go.sum', target: 'go.sum', readOnly: false, required: false },
    ],
    [
      'type=bind,from=build,src=/out,dst=/in',
      {
        type: 'bind',
        from: 'build',
        source: '/out',
        target: '/in',
        readOnly: true,
        required: false,
      },
    ],
    [
      'type=cache,target=/root/.cache,id=pip,sharing=locked,mode=0700,uid=1000,gid=1000',
      {
        type: 'cache',
        target: '/root/.cache',
        id: 'pip',
        sharing: 'locked',
        mode: 0o700,
        uid: 1000,
        gid: 1000,
        readOnly: false,
        required: false,
      },
    ],
    [
      'type=cache,destination=/c,ro',
      { type: 'cache', target: '/c', readOnly: true, required: false },
    ],
    [
      'type=tmpfs,target=/tmp,size=64m',
      { type: 'tmpfs', target: '/tmp', size: 64 * 1024 ** 2, readOnly: false, required: false },
    ],
    [
      'type=secret,id=npmrc,target=/root/.npmrc,required',
      { type: 'secret', id: 'npmrc', target: '/root/.npmrc', readOnly: true, required: true },
    ],
    [
      'type=secret,id=token,env=TOKEN',
      { type: 'secret', id: 'token', env: 'TOKEN', readOnly: true, required: false },
    ],
    ['type=ssh,required=false', { type: 'ssh', readOnly: true, required: false }],
    ['TYPE=CACHE,Target=/c', { type: 'cache', target: '/c', readOnly: false, required: false }],
    ['type=bind,"target=/a,b"', { type: 'bind', target: '/a,b', readOnly: true, required: false }],
    [
      'type=bind,readonly=false,target=/x',
      { type: 'bind', target: '/x', readOnly: false, required: false },
    ],
  ])('%s', (text, expected) => {
    expect(mountOf(text)).toEqual(expected);
  });

  it.each([
    ['type=cache,tagret=/x', 'unknown-option', 'target'],
    ['type=cache,sharng=locked', 'unknown-option', 'sharing'],
    ['type=cahce,target=/x', 'invalid-option', 'cache'],
    ['type=cache,sharing=lock', 'invalid-option', 'locked'],
  ])('%s fails with %s and suggests %s', (text, code, suggestion) => {
    const error = problemOf(text);
    expect(error.code).toBe(code);
    expect(error.suggestion).toBe(suggestion);
  });

  it('unknown option message names the option and the fix', () => {
    expect(problemOf('type=cache,tagret=/x').message).toBe(
      'Invalid value "type=cache,tagret=/x" for --mount (unknown option "tagret" in "tagret=/x"): ' +
        'expected comma-separated key=value options, such as type=cache,target=/path, ' +
        'as in --mount=type=cache,target=/root/.cache. Did you mean "target"?',
    );
  });

  it.each([
    ['', 'the value is empty'],
    ['target="/a', 'contains a quote'],
    ['"target=/a', 'no closing quote'],
    ['target', 'needs a value'],
    ['required,type=secret,id=x', 'applies only to secret and ssh mounts, not bind'],
    ['type=secret,required=maybe,id=x', 'is not a boolean'],
    ['type=cache,size=1g,target=/c', 'applies only to tmpfs'],
    ['type=tmpfs,size=lots,target=/t', 'is not a size'],
    ['type=cache,mode=0800,target=/c', 'is not an octal number'],
    ['type=cache,uid=-1,target=/c', 'is not a whole number'],
    ['type=bind,mode=0755,target=/c', '"mode" is not allowed on bind mounts'],
    ['type=tmpfs,uid=0,target=/c', '"uid" is not allowed on tmpfs mounts'],
    ['type=bind,sharing=shared,target=/c', '"sharing" applies only to cache mounts'],
    ['type=secret,from=build,id=x', 'cannot have "from"'],
    ['type=secret', 'needs an id, a source or a target'],
    ['type=secret,id=a,source=b', 'either "source" or "id"'],
    ['type=bind,from=$STAGE,target=/x', '"from" does not expand variables'],
    ['type=bind,target=/x,ro=yes', 'is not a boolean'],
  ])('%j is invalid: %s', (text, reason) => {
    expect(problemOf(text).message).toContain(reason);
  });

  it('defers a mount whose value refers to a variable', () => {
    expect(parseMount('type=cache,target=$HOME/.cache')).toEqual({
      status: 'deferred',
      text: 'type=cache,target=$HOME/.cache',
    });
  });

  it('still rejects an unknown option in a mount with variables', () => {
    expect(problemOf('type=cache,tagret=$HOME').code).toBe('unknown-option');
  });

  it('keeps a dollar sign at the end of a value', () => {
    expect(mountOf('target=/a$')).toEqual({
      type: 'bind',
      target: '/a$',
      readOnly: true,
      required: false,
    });
  });
});

describe('readCsvRecord', () => {
  it.each([
    ['a,b', ['a', 'b']],
    ['a,,b', ['a', '', 'b']],
    ['a,', ['a', '']],
    [' a , b', [' a ', ' b']],
    ['"a,b",c', ['a,b', 'c']],
    ['"say ""hi"""', ['say "hi"']],
    ['"a\nb",c', ['a\nb', 'c']],
    ['\n\na,b\nc,d', ['a', 'b']],
    ['a,b\r\n', ['a', 'b']],
  ])('%j', (text, expected) => {
    expect(readCsvRecord(text)).toEqual(expected);
  });

  it.each(['', '\n', 'a"b', '"a"b', '"a'])('%j is rejected', (text) => {
    expect(() => readCsvRecord(text)).toThrow();
  });
});

describe('parseSize', () => {
  it.each([
    ['1024', 1024],
    ['64m', 64 * 1024 ** 2],
    ['1g', 1024 ** 3],
    ['1GiB', 1024 ** 3],
    ['2KB', 2048],
    ['1.5k', 1536],
    ['10 m', 10 * 1024 ** 2],
    ['5b', 5],
    ['0', 0],
  ])('%s is %d bytes', (text, expected) => {
    expect(parseSize(text)).toBe(expected);
  });

  it.each(['', 'm', '-1', '1x', '1kbb', '1mi', 'abc'])('%j is rejected', (text) => {
    expect(parseSize(text)).toBeUndefined();
  });
});
