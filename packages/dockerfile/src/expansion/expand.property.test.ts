// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are Dockerfile words, where ${NAME} is literal syntax
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExpansionError } from './errors.js';
import { type EscapeCharacter, expandWord, expandWords } from './expand.js';
import { quoteWord } from './quote.js';

const env = { A: 'a b', B: '', C: '*.x/y', D: '$0\\' };

// Words built from the characters that matter to the lexer, so that random input
// reaches quotes, escapes and every substitution form often.
const shellWord = fc
  .array(
    fc.constantFrom(
      ...['$', '{', '}', ':', '-', '+', '?', '#', '%', '/', '*', '\\', '`', "'", '"', ' '],
      ...['A', 'B', 'C', 'D', 'x', '0', '@', '[', ']', '\n', '😀', 'é'],
    ),
    { maxLength: 40 },
  )
  .map((characters) => characters.join(''));

const escapeCharacter = fc.constantFrom<EscapeCharacter>('\\', '`');

function throwsOnlyExpansionErrors(run: () => unknown): boolean {
  try {
    run();
  } catch (error) {
    return error instanceof ExpansionError;
  }
  return true;
}

describe('expansion properties', () => {
  it('expandWord throws nothing but ExpansionError', () => {
    fc.assert(
      fc.property(fc.oneof(shellWord, fc.string()), escapeCharacter, (word, escapeWith) =>
        throwsOnlyExpansionErrors(() => expandWord(word, { env, escape: escapeWith })),
      ),
      { numRuns: 3000 },
    );
  });

  it('expandWords throws nothing but ExpansionError', () => {
    fc.assert(
      fc.property(shellWord, escapeCharacter, (word, escapeWith) =>
        throwsOnlyExpansionErrors(() => expandWords(word, { env, escape: escapeWith })),
      ),
      { numRuns: 3000 },
    );
  });

  it('error offsets point into the word', () => {
    fc.assert(
      fc.property(shellWord, (word) => {
        try {
          expandWord(word, { env });
        } catch (error) {
          const { offset } = error as ExpansionError;
          return offset >= 0 && offset <= word.length;
        }
        return true;
      }),
      { numRuns: 2000 },
    );
  });

  it('a quoted value expands back to itself', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary' }), shellWord),
        escapeCharacter,
        (value, escapeWith) => {
          expect(expandWord(quoteWord(value, escapeWith), { env, escape: escapeWith }).value).toBe(
            value,
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('quoted words split back into the same words', () => {
    const nonEmpty = fc.oneof(
      fc.string({ unit: 'binary', minLength: 1 }),
      shellWord.filter((word) => word !== ''),
    );
    fc.assert(
      fc.property(fc.array(nonEmpty, { maxLength: 6 }), escapeCharacter, (values, escapeWith) => {
        const line = values.map((value) => quoteWord(value, escapeWith)).join(' ');
        expect(expandWords(line, { env, escape: escapeWith }).words).toEqual(values);
      }),
      { numRuns: 1000 },
    );
  });

  it('text without special characters expands to itself', () => {
    const plain = fc.string().filter((text) => !/[$'"\\`]/.test(text));
    fc.assert(
      fc.property(plain, (text) => {
        expect(expandWord(text, { env }).value).toBe(text);
      }),
    );
  });
});
