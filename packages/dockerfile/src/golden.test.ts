// Golden tests: each folder of testdata/golden holds a Dockerfile and the
// expected BuildKit dump in `result`; each folder of testdata/invalid holds a
// Dockerfile that must give at least one error. Every file must print back
// byte for byte.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from './parse.js';
import { printSyntax } from './print/print.js';
import { dumpSyntax } from './syntax/dump.js';
import { parseSyntax } from './syntax/parse-syntax.js';

const testdata = join(import.meta.dirname, '../testdata');
const golden = join(testdata, 'golden');
const invalid = join(testdata, 'invalid');

function folders(root: string): string[] {
  return readdirSync(root).sort();
}

describe('golden dumps', () => {
  it.each(folders(golden))('%s', (name) => {
    const source = readFileSync(join(golden, name, 'Dockerfile'), 'utf8');
    const resultFile = join(golden, name, 'result');
    const tree = parseSyntax(source);
    // Set GANTRY_UPDATE_GOLDEN=1 to write a missing result; review it before committing.
    if (!existsSync(resultFile) && process.env.GANTRY_UPDATE_GOLDEN === '1') {
      writeFileSync(resultFile, dumpSyntax(tree));
    }
    expect(tree.diagnostics.filter((item) => item.severity === 'error')).toEqual([]);
    expect(dumpSyntax(tree)).toBe(readFileSync(resultFile, 'utf8'));
    expect(printSyntax(tree)).toBe(source);
  });
});

describe('invalid files', () => {
  it.each(folders(invalid))('%s has an error', (name) => {
    const source = readFileSync(join(invalid, name, 'Dockerfile'), 'utf8');
    const file = parse(source);
    expect(file.diagnostics.some((item) => item.severity === 'error')).toBe(true);
    expect(printSyntax(file.syntax)).toBe(source);
  });
});
