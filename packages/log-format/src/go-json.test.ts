import { expect, test } from 'vitest';
import { goJsonString } from './go-json.js';

test.each([
  ['plain text', '"plain text"'],
  [' ---> 0123', '" ---\\u003e 0123"'],
  ['a && b <c>', '"a \\u0026\\u0026 b \\u003cc\\u003e"'],
  ['\u001b[91moops\n\u001b[0m', '"\\u001b[91moops\\n\\u001b[0m"'],
  ['tab\tcr\rquote"back\\', '"tab\\tcr\\rquote\\"back\\\\"'],
  ['\b\f', '"\\u0008\\u000c"'],
  ['\u2028\u2029', '"\\u2028\\u2029"'],
  ['é ✓ 🐳', '"é ✓ 🐳"'],
  ['lone \ud800 surrogate', '"lone \\ufffd surrogate"'],
])('goJsonString(%j) is %s', (text, expected) => {
  expect(goJsonString(text)).toBe(expected);
});

test('goJsonString output parses back to the text', () => {
  const text = '<&> \u001b\u0000 "quoted" \\ \u2028 🐳';

  expect(JSON.parse(goJsonString(text))).toBe(text);
});
