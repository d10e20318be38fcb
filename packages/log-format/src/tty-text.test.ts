import { expect, test } from 'vitest';
import { alignRight, sanitizeLine, truncate } from './tty-text.js';

test.each([
  ['plain', 'plain'],
  ['\u001b[31mred\u001b[0m', 'red'],
  ['a\tb', 'a  b'],
  ['50%\r100%', '100%'],
  ['crlf\r', 'crlf'],
  ['\u001b]0;title\u0007text', 'text'],
  ['bell\u0007', 'bell'],
])('sanitizeLine(%j) is %j', (line, expected) => {
  expect(sanitizeLine(line)).toBe(expected);
});

test('truncate counts code points', () => {
  expect(truncate('🐳🐳🐳', 2)).toBe('🐳🐳');
  expect(truncate('abc', 5)).toBe('abc');
  expect(truncate('abc', 0)).toBe('');
});

test('alignRight puts the time at the right edge', () => {
  expect(alignRight('left', '1.0s', 12)).toBe('left    1.0s');
  expect(alignRight('a long left part', '1.0s', 12)).toBe('a long  1.0s');
});
