import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findPattern, toCodePoints } from './pattern.js';

// JavaScript's RegExp and Go's regexp both report the leftmost-first match, so on
// small inputs, where backtracking is cheap, RegExp is a reference for the machine.
function referenceMatch(pattern: string, text: string, greedy: boolean, anchored: boolean) {
  const star = greedy ? '[^\\n]*' : '[^\\n]*?';
  const source = Array.from(pattern, (character) => {
    if (character === '*') {
      return star;
    }
    return character === '?' ? '[^\\n]' : character;
  }).join('');
  const match = new RegExp(anchored ? `^(?:${source})` : source, 'u').exec(text);
  return match === null ? undefined : { start: match.index, end: match.index + match[0].length };
}

describe('findPattern', () => {
  it.each([
    ['a*', 'abab', true, true, { start: 0, end: 4 }],
    ['a*', 'abab', false, true, { start: 0, end: 1 }],
    ['*b', 'abab', false, true, { start: 0, end: 2 }],
    ['*b', 'abab', true, true, { start: 0, end: 4 }],
    ['b?', 'abab', true, false, { start: 1, end: 3 }],
    ['*', 'ab\nc', true, false, { start: 0, end: 2 }],
    ['c', 'ab\nc', true, true, undefined],
    ['', 'ab', true, false, { start: 0, end: 0 }],
  ])('%j in %j (greedy %s, anchored %s)', (pattern, text, greedy, anchored, expected) => {
    expect(findPattern(pattern, toCodePoints(text), { greedy, anchored })).toEqual(expected);
  });

  it('starts the search at the given index', () => {
    expect(
      findPattern('a', toCodePoints('aXa'), { greedy: true, anchored: false, from: 1 }),
    ).toEqual({ start: 2, end: 3 });
  });

  it('agrees with RegExp on small inputs', () => {
    const pattern = fc
      .array(fc.constantFrom('a', 'b', '*', '?'), { maxLength: 6 })
      .map((parts) => parts.join(''));
    const text = fc
      .array(fc.constantFrom('a', 'b', '\n'), { maxLength: 10 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(pattern, text, fc.boolean(), fc.boolean(), (glob, value, greedy, anchored) => {
        const actual = findPattern(glob, toCodePoints(value), { greedy, anchored });
        expect(actual).toEqual(referenceMatch(glob, value, greedy, anchored));
      }),
      { numRuns: 3000 },
    );
  });
});
