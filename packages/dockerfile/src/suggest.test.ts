import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { editDistance, suggestName } from './suggest.js';

const INSTRUCTIONS = [
  ...['FROM', 'RUN', 'CMD', 'COPY', 'ADD', 'ENV', 'ARG', 'WORKDIR', 'ENTRYPOINT', 'HEALTHCHECK'],
];

/** Picks a suggestion by the rule of `suggestName`, computing every distance in full. */
function closestByFullDistance(input: string, candidates: string[]): string | undefined {
  const needle = input.toLowerCase();
  const maxDistance = Math.max(1, Math.floor(needle.length / 3));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    const distance = editDistance(needle, lower);
    const isCompletion = needle.length >= 3 && lower.startsWith(needle);
    if (distance < bestDistance && (distance <= maxDistance || isCompletion)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

describe('suggestName', () => {
  it.each([
    ['form', 'FROM'],
    ['FORM', 'FROM'],
    ['cpoy', 'COPY'],
    ['workdri', 'WORKDIR'],
    ['entrypont', 'ENTRYPOINT'],
    ['RNU', 'RUN'],
    ['ad', 'ADD'],
    ['HEALTH', 'HEALTHCHECK'],
    ['ENTRY', 'ENTRYPOINT'],
  ])('%s suggests %s', (input, expected) => {
    expect(suggestName(input, INSTRUCTIONS)).toBe(expected);
  });

  it.each(['zzzz', 'x', 'COPYINGS', 'QQ'])('%s suggests nothing', (input) => {
    expect(suggestName(input, INSTRUCTIONS)).toBeUndefined();
  });

  it('keeps the candidate spelling', () => {
    expect(suggestName('TAGRET', ['target'])).toBe('target');
  });

  it('prefers the earlier candidate on a tie', () => {
    expect(suggestName('ab', ['ax', 'ay'])).toBe('ax');
  });

  it('returns an exact match', () => {
    expect(suggestName('copy', INSTRUCTIONS)).toBe('COPY');
  });

  it('matches the unbounded search', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'ab', '😀'), maxLength: 8 });
    fc.assert(
      fc.property(word, fc.array(word, { maxLength: 6 }), (input, candidates) => {
        expect(suggestName(input, candidates)).toBe(closestByFullDistance(input, candidates));
      }),
      { numRuns: 2000 },
    );
  });

  it('suggests nothing from no candidates', () => {
    expect(suggestName('copy', [])).toBeUndefined();
  });
});

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['form', 'from', 1],
    ['ca', 'abc', 3],
    ['😀a', 'a😀', 1],
  ])('%s to %s is %d', (left, right, expected) => {
    expect(editDistance(left, right)).toBe(expected);
  });

  it('stops at the limit', () => {
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(2);
  });

  it('is symmetric and zero only for equal strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (left, right) => {
        const distance = editDistance(left, right);
        expect(editDistance(right, left)).toBe(distance);
        expect(distance === 0).toBe(left === right);
      }),
    );
  });
});
