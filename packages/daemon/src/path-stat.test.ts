import { describe, expect, test } from 'vitest';
import { EngineError } from './errors.js';
import { readPathStatHeader } from './path-stat.js';

function header(fields: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(fields)).toString('base64');
}

describe('readPathStatHeader', () => {
  test.each([
    ['file', 0o644, 'file', 0o644],
    ['directory', 2 ** 31 + 0o755, 'directory', 0o755],
    ['sticky directory', 2 ** 31 + 2 ** 20 + 0o777, 'directory', 0o1777],
    ['symlink', 2 ** 27 + 0o777, 'symlink', 0o777],
    ['setuid file', 2 ** 23 + 0o755, 'file', 0o4755],
    ['setgid file', 2 ** 22 + 0o755, 'file', 0o2755],
    ['named pipe', 2 ** 25 + 0o600, 'other', 0o600],
    ['character device', 2 ** 26 + 2 ** 21 + 0o666, 'other', 0o666],
  ])('%s', (_name, goMode, type, mode) => {
    const stat = readPathStatHeader(header({ name: 'x', size: 1, mode: goMode, mtime: 't' }), '/x');
    expect(stat.type).toBe(type);
    expect(stat.mode).toBe(mode);
  });

  test('missing header', () => {
    expect(() => readPathStatHeader(undefined, '/x')).toThrow(EngineError);
  });
});
