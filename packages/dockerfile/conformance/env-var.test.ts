import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExpansionError, expandWord } from '../src/expansion/index.js';
import { conformanceDir } from './conformance-dir.js';

// Every `A` (all platforms) and `U` (Unix) line of BuildKit's envVarTest must expand
// to its expected text, or fail with an ExpansionError where it expects `error`.

const ENVIRONMENT = { PWD: '/home', SHELL: 'bash', KOREAN: '한국어', NULL: '' };

interface Vector {
  readonly line: number;
  readonly input: string;
  readonly expected: string;
}

function readVectors(): Vector[] {
  const text = readFileSync(join(conformanceDir(), 'shell', 'envVarTest'), 'utf8');
  const vectors: Vector[] = [];
  for (const [index, raw] of text.split('\n').entries()) {
    if (raw.startsWith('#') || raw.trim() === '') {
      continue;
    }
    const [platform, input, expected] = raw.split('|').map((field) => field.trim());
    if (platform === 'A' || platform === 'U') {
      vectors.push({ line: index + 1, input: input ?? '', expected: expected ?? '' });
    }
  }
  return vectors;
}

const vectors = readVectors();

describe('envVarTest', () => {
  it('has vectors to run', () => {
    expect(vectors.length).toBeGreaterThan(200);
  });

  it.each(vectors)('line $line: $input', ({ input, expected }) => {
    if (expected === 'error') {
      expect(() => expandWord(input, { env: ENVIRONMENT })).toThrow(ExpansionError);
      return;
    }
    expect(expandWord(input, { env: ENVIRONMENT }).value).toBe(expected);
  });
});
