import { describe, expect, it } from 'vitest';
import { parseChmod } from './chmod.js';
import { parseChown } from './ownership.js';
import { parsePlatform } from './platform.js';
import { parseNetwork, parseSecurity } from './run-modes.js';
import { parseChecksum, parseFrom } from './sources.js';
import { flagError, parsedValue } from './test-results.js';

const SHA256 = 'a'.repeat(64);

describe('parseChown', () => {
  it.each([
    ['1000', { user: { kind: 'id', id: 1000 }, text: '1000' }],
    ['app', { user: { kind: 'name', name: 'app' }, text: 'app' }],
    [
      '1000:app',
      { user: { kind: 'id', id: 1000 }, group: { kind: 'name', name: 'app' }, text: '1000:app' },
    ],
    ['app:', { user: { kind: 'name', name: 'app' }, text: 'app:' }],
  ])('%s', (text, expected) => {
    expect(parseChown(text)).toEqual({ status: 'parsed', value: expected });
  });

  it('treats an empty value as absent', () => {
    expect(parseChown('')).toEqual({ status: 'parsed', value: undefined });
  });

  it.each([
    [':app', 'the user is missing'],
    ['a:b:c', 'more than one ":"'],
    ['4294967296', 'above 4294967295'],
  ])('rejects %s', (text, reason) => {
    const result = parseChown(text);
    expect(flagError(result).message).toContain(reason);
  });
});

describe('parseChmod', () => {
  it.each([
    ['755', 0o755],
    ['0644', 0o644],
    ['7777', 0o7777],
    ['0', 0],
  ])('octal %s', (text, mode) => {
    expect(parseChmod(text)).toEqual({ status: 'parsed', value: { kind: 'octal', mode, text } });
  });

  it('symbolic u=rwx,go=rx', () => {
    expect(parseChmod('u=rwx,go=rx')).toEqual({
      status: 'parsed',
      value: {
        kind: 'symbolic',
        text: 'u=rwx,go=rx',
        clauses: [
          { who: 'u', operations: [{ operator: '=', permissions: 'rwx' }] },
          { who: 'go', operations: [{ operator: '=', permissions: 'rx' }] },
        ],
      },
    });
  });

  it.each(['+x', 'a-w', 'g=u', 'u+r-w', 'o=', 'ug+X'])('symbolic %s', (text) => {
    const result = parseChmod(text);
    expect(parsedValue(result)?.kind).toBe('symbolic');
  });

  it.each(['8', '17777', 'u', 'u+q', 'x+r', 'g=ux', ',', 'rwx'])('rejects %s', (text) => {
    const result = parseChmod(text);
    expect(result.status).toBe('invalid');
    expect(flagError(result).example).toBe('--chmod=755');
  });
});

describe('parseFrom', () => {
  it.each([
    ['0', { kind: 'stage-index', index: 0, text: '0' }],
    ['build', { kind: 'name', name: 'build', text: 'build' }],
    ['nginx:1.25', { kind: 'name', name: 'nginx:1.25', text: 'nginx:1.25' }],
  ])('%s', (text, expected) => {
    expect(parseFrom(text)).toEqual({ status: 'parsed', value: expected });
  });

  it('rejects white space', () => {
    expect(parseFrom('a b').status).toBe('invalid');
  });
});

describe('parseChecksum', () => {
  it('sha256 digest', () => {
    expect(parseChecksum(`sha256:${SHA256}`)).toEqual({
      status: 'parsed',
      value: { algorithm: 'sha256', hex: SHA256, text: `sha256:${SHA256}` },
    });
  });

  it('git commit hash', () => {
    const commit = 'b'.repeat(40);
    expect(parseChecksum(commit)).toEqual({
      status: 'parsed',
      value: { algorithm: 'commit', hex: commit, text: commit },
    });
  });

  it.each([
    ['md5:abc', 'not a supported digest algorithm'],
    ['sha256:abc', 'has 64 hex digits, not 3'],
    [`sha256:${'A'.repeat(64)}`, 'not lower-case hex digits'],
  ])('rejects %s', (text, reason) => {
    const result = parseChecksum(text);
    expect(flagError(result).message).toContain(reason);
  });
});

describe('parsePlatform', () => {
  it.each([
    ['linux/amd64', { os: 'linux', architecture: 'amd64', variant: undefined }],
    ['linux/arm/v7', { os: 'linux', architecture: 'arm', variant: 'v7' }],
    ['Linux/arm64', { os: 'linux', architecture: 'arm64', variant: undefined }],
    ['linux', { os: 'linux' }],
    ['arm64', { architecture: 'arm64' }],
  ])('%s', (text, expected) => {
    expect(parsePlatform(text)).toEqual({ status: 'parsed', value: { ...expected, text } });
  });

  it.each([
    ['linux/amd64/v2/x', 'more than three parts'],
    ['linux//amd64', '"" is not a valid part'],
    ['linux/*', '"*" is not a valid part'],
    ['plan10', 'not a known operating system or architecture'],
  ])('rejects %s', (text, reason) => {
    const result = parsePlatform(text);
    expect(flagError(result).message).toContain(reason);
  });
});

describe('parseNetwork and parseSecurity', () => {
  it.each(['default', 'none', 'host'])('network %s', (text) => {
    expect(parseNetwork(text)).toEqual({ status: 'parsed', value: text });
  });

  it('rejects an empty network', () => {
    expect(flagError(parseNetwork('')).code).toBe('invalid-value');
  });

  it('rejects an empty security mode', () => {
    expect(flagError(parseSecurity('')).code).toBe('invalid-value');
  });

  it('suggests the closest network mode', () => {
    const result = parseNetwork('hots');
    expect(flagError(result).suggestion).toBe('host');
    expect(flagError(result).message).toBe(
      'Invalid value "hots" for --network: expected one of default, none, host, ' +
        'as in --network=none. Did you mean "host"?',
    );
  });

  it.each(['insecure', 'sandbox'])('security %s', (text) => {
    expect(parseSecurity(text)).toEqual({ status: 'parsed', value: text });
  });

  it('rejects an unknown security mode', () => {
    expect(parseSecurity('privileged').status).toBe('invalid');
  });
});
