import { describe, expect, it } from 'vitest';
import { expandWord } from './expand.js';
import { quoteWord } from './quote.js';

describe('quoteWord', () => {
  it.each([
    ['plain', "'plain'"],
    ['', "''"],
    ["it's", "'it'\\''s'"],
    ['$HOME', "'$HOME'"],
  ])('quotes %j as %s', (value, expected) => {
    expect(quoteWord(value)).toBe(expected);
  });

  it('uses the backtick escape character when given', () => {
    expect(quoteWord("it's", '`')).toBe("'it'`''s'");
    expect(expandWord(quoteWord("it's", '`'), { env: {}, escape: '`' }).value).toBe("it's");
  });
});
