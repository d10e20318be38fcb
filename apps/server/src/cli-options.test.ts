import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  readKeptOutput,
  readLogLevel,
  readOptionalCount,
  readPort,
  readSize,
  readToken,
} from './cli-options.js';

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'gantry-server-cli-options-'));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('readPort', () => {
  it.each([
    ['0', 0],
    ['2375', 2375],
    ['65535', 65_535],
  ])('%s is %s', (value, expected) => {
    expect(readPort(value)).toBe(expected);
  });

  it.each(['65536', '99999', '-1', 'abc', ''])('%s names --port', (value) => {
    expect(() => readPort(value)).toThrow(`Invalid --port ${JSON.stringify(value)}`);
  });
});

describe('readOptionalCount', () => {
  it('unset is undefined', () => {
    expect(readOptionalCount('--max-builds', undefined, 1)).toBeUndefined();
  });

  it('value below the minimum names the flag', () => {
    expect(() => readOptionalCount('--max-builds', '0', 1)).toThrow(
      'Invalid --max-builds "0": expected a whole number of at least 1.',
    );
  });

  it('zero is allowed where the minimum is 0', () => {
    expect(readOptionalCount('--max-queue', '0', 0)).toBe(0);
  });
});

describe('readSize', () => {
  it.each([
    ['512', 512],
    ['2k', 2048],
    ['1M', 1024 ** 2],
    ['1g', 1024 ** 3],
  ])('%s is %s bytes', (value, expected) => {
    expect(readSize('--max-context-size', value)).toBe(expected);
  });

  it.each(['0', '0m', '10x', '1.5g'])('%s names --max-context-size', (value) => {
    expect(() => readSize('--max-context-size', value)).toThrow(
      `Invalid --max-context-size ${JSON.stringify(value)}`,
    );
  });

  it('names the flag it reads', () => {
    expect(() => readSize('--keep-output', '4q')).toThrow('Invalid --keep-output "4q"');
  });
});

describe('readKeptOutput', () => {
  it('reads 1m and more', () => {
    expect(readKeptOutput('1m')).toBe(1024 ** 2);
    expect(readKeptOutput('8m')).toBe(8 * 1024 ** 2);
    expect(readKeptOutput(undefined)).toBeUndefined();
  });

  it.each(['64k', '1', '1048575'])('rejects %s as below 1m', (value) => {
    expect(() => readKeptOutput(value)).toThrow(
      `Invalid --keep-output ${JSON.stringify(value)}: expected at least 1m`,
    );
  });
});

describe('readLogLevel', () => {
  it('unset is info', () => {
    expect(readLogLevel(undefined)).toBe('info');
  });

  it('pino level is accepted', () => {
    expect(readLogLevel('debug')).toBe('debug');
  });

  it('unknown level lists the levels', () => {
    expect(() => readLogLevel('verbose')).toThrow(
      'Invalid --log-level "verbose": expected one of trace, debug, info, warn, error, fatal, silent.',
    );
  });
});

describe('readToken', () => {
  it('reads the first line of the file', async () => {
    const file = join(folder, 'token');
    await writeFile(file, 'file-token-1\nsecond line\n');
    expect(readToken(file, {})).toBe('file-token-1');
  });

  it('without a file reads GANTRY_SERVER_TOKEN', () => {
    expect(readToken(undefined, { GANTRY_SERVER_TOKEN: 'env-token-2' })).toBe('env-token-2');
    expect(readToken(undefined, { GANTRY_SERVER_TOKEN: '' })).toBeUndefined();
  });

  it('missing file names the reason', () => {
    const file = join(folder, 'missing');
    expect(() => readToken(file, {})).toThrow(`Cannot read --token-file ${JSON.stringify(file)}`);
    expect(() => readToken(file, {})).toThrow(/ENOENT: no such file or directory/);
  });

  it('empty first line names the file', async () => {
    const file = join(folder, 'empty');
    await writeFile(file, '  \nsecond line\n');
    expect(() => readToken(file, {})).toThrow(
      `Invalid --token-file ${JSON.stringify(file)}: its first line is empty`,
    );
  });
});
