import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { EngineError } from './errors.js';
import { readJsonLines } from './json-lines.js';

async function parse(parts: Array<string | Buffer>): Promise<unknown[]> {
  const values: unknown[] = [];
  for await (const value of readJsonLines(Readable.from(parts))) {
    values.push(value);
  }
  return values;
}

describe('readJsonLines', () => {
  test('line split across chunks', async () => {
    expect(await parse(['{"stream":"Ste', 'p 1/2"}\n{"aux":{"ID":"sha256:1"}}\n'])).toEqual([
      { stream: 'Step 1/2' },
      { aux: { ID: 'sha256:1' } },
    ]);
  });

  test('multi-byte character split across chunks', async () => {
    const bytes = Buffer.from('{"stream":"é"}\n');
    expect(await parse([bytes.subarray(0, 12), bytes.subarray(12)])).toEqual([{ stream: 'é' }]);
  });

  test('last line without newline and blank lines', async () => {
    expect(await parse(['\r\n{"a":1}\r\n\n{"b":2}'])).toEqual([{ a: 1 }, { b: 2 }]);
  });

  test('invalid line', async () => {
    await expect(parse(['{"a":1}\nnot json\n'])).rejects.toThrow(EngineError);
    await expect(parse(['not json\n'])).rejects.toThrow(/invalid JSON line "not json"/);
  });
});
