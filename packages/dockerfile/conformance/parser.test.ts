// Checks the grammar against BuildKit's own parser test data, read by path from
// GANTRY_CONFORMANCE_DIR (the shared conformance folder beside the project).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dumpSyntax, parseSyntax, printSyntax } from '../src/index.js';
import { conformanceDir } from './conformance-dir.js';

const root = conformanceDir();
const positive = join(root, 'parser/positive');
const negative = join(root, 'parser/negative');

function cases(folder: string): string[] {
  return readdirSync(folder).sort();
}

function read(folder: string, name: string, file: string): string {
  return readFileSync(join(folder, name, file), 'utf8');
}

describe('BuildKit positive cases', () => {
  it.each(cases(positive))('%s dumps as BuildKit', (name) => {
    const tree = parseSyntax(read(positive, name, 'Dockerfile'));
    const errors = tree.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
    expect(errors).toEqual([]);
    expect(dumpSyntax(tree)).toBe(read(positive, name, 'result'));
  });
});

describe('BuildKit negative cases', () => {
  it.each(cases(negative))('%s is an error', (name) => {
    const tree = parseSyntax(read(negative, name, 'Dockerfile'));
    const errors = tree.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
  });
});

describe('lossless round trip', () => {
  const files = [
    ...cases(positive).map((name) => join(positive, name, 'Dockerfile')),
    ...cases(negative).map((name) => join(negative, name, 'Dockerfile')),
  ];
  it.each(files)('%s prints back byte for byte', (file) => {
    const source = readFileSync(file, 'utf8');
    expect(printSyntax(parseSyntax(source))).toBe(source);
  });
});
