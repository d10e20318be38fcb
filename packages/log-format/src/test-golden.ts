/** Golden-file comparison for tests; `UPDATE_GOLDEN=1` rewrites the files instead. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { GOLDEN } from './test-engine.js';

const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** Expects `actual` to equal the golden file at `path` under testdata/golden. */
export function expectGolden(actual: string, path: string): void {
  const file = join(GOLDEN, path);
  if (UPDATE) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

/** Reads a golden file under testdata/golden. */
export function readGolden(path: string): string {
  return readFileSync(join(GOLDEN, path), 'utf8');
}
