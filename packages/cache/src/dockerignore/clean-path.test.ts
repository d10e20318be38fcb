import { describe, expect, it } from 'vitest';
import { cleanPath } from './clean-path.js';

describe('cleanPath', () => {
  it.each([
    ['', '.'],
    ['.', '.'],
    ['a/b/', 'a/b'],
    ['a//b', 'a/b'],
    ['./a', 'a'],
    ['a/./b', 'a/b'],
    ['a/../b', 'b'],
    ['a/..', '.'],
    ['../a', '../a'],
    ['../../a/../b', '../../b'],
    ['/../a', '/a'],
    ['/', '/'],
    ['//a///', '/a'],
    ['!x/../y', 'y'],
    ['!x/../../y', '../y'],
  ])('cleans %j to %j', (input, expected) => {
    expect(cleanPath(input)).toBe(expected);
  });
});
