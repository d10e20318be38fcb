// The fast path for simple lines must build the same CST as chevrotain's
// lexer and grammar, on fixture lines and on random lines.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CstElement, CstNode } from 'chevrotain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SyntaxEngine } from './engine.js';
import { BUILTIN_INSTRUCTIONS } from './instruction-table.js';
import { builtinEngine } from './parse-syntax.js';

const golden = join(import.meta.dirname, '../../testdata/golden');
const fixtureLines = readdirSync(golden).flatMap((name) =>
  readFileSync(join(golden, name, 'Dockerfile'), 'utf8').split(/\r?\n/),
);

const PIECES = [
  'RUN',
  'run',
  'Copy',
  'FROM',
  'ONBUILD',
  'HEALTHCHECK',
  'RUNX',
  'ſhell',
  'é',
  ' ',
  '  ',
  '\t',
  '\r',
  '\v',
  '\f',
  '-',
  '--',
  '---',
  '--from=build',
  '--chown="a b"',
  "--mount='type=cache'",
  '--x=\\ y',
  '"',
  "'",
  '\\',
  '[',
  ']',
  '["a"]',
  '[ "a", "b\\"c" ]',
  '["a\\u0041"]',
  ',',
  '"x"',
  '1',
  '[]',
  'true',
  '{',
  '=',
  'echo',
  'a b',
];

/** Pieces of JSON arrays, closed or not, valid or not. */
const ARRAY_PIECES = [
  '"a"',
  '"b c"',
  '"\\"',
  '"x\\u0041"',
  '"open',
  ',',
  ' ',
  '\t',
  '[',
  ']',
  '1',
  '{',
  ':',
];

/** Token type, image and offset of every token, by CST key, in order. */
function describeCst(node: CstNode): Record<string, [string, string, number][]> {
  const described: Record<string, [string, string, number][]> = {};
  for (const [key, elements] of Object.entries(node.children)) {
    described[key] = elements.map((element: CstElement) => {
      if (!('image' in element)) throw new Error(`unexpected subrule ${key}`);
      return [element.tokenType.name, element.image, element.startOffset];
    });
  }
  return described;
}

/** Checks one line: when the fast path takes it, the grammar gives the same CST. */
function expectSameAsGrammar(engine: SyntaxEngine, line: string): boolean {
  const simple = engine.parseSimpleLine(line);
  if (simple === undefined) return false;
  const csts = engine.parseLines(line);
  expect(engine.grammar.errors).toEqual([]);
  expect(csts).toHaveLength(1);
  expect(describeCst(simple)).toEqual(describeCst(csts[0] as CstNode));
  return true;
}

describe('readSimpleLine', () => {
  it('matches the grammar on fixture lines', () => {
    const engine = builtinEngine();
    const lines = fixtureLines.filter((line) => line.trim() !== '' && !line.startsWith('#'));
    const simpleLines = lines.filter((line) => expectSameAsGrammar(engine, line));
    expect(simpleLines.length).toBeGreaterThan(lines.length / 2);
  });

  it('matches the grammar on random lines', () => {
    const engine = builtinEngine();
    const line = fc
      .array(fc.constantFrom(...PIECES), { maxLength: 12 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(line, (text) => {
        expectSameAsGrammar(engine, text);
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves other arrays and non-ASCII keywords to the grammar', () => {
    const engine = builtinEngine();
    expect(engine.parseSimpleLine('CMD ["a"] x')).toBeUndefined();
    expect(engine.parseSimpleLine('CMD ["a", 1]')).toBeUndefined();
    expect(engine.parseSimpleLine('ſhell ["sh"]')).toBeUndefined();
    expect(engine.parseSimpleLine('   ')).toBeUndefined();
  });

  it('reads arrays left open', () => {
    const engine = builtinEngine();
    for (const line of ['CMD [', 'CMD [ "a",', 'COPY --from=x [ "a", "b"', 'CMD ["a", "b]']) {
      expect(expectSameAsGrammar(engine, line)).toBe(true);
    }
  });

  it('matches the grammar on random arrays', () => {
    const engine = builtinEngine();
    const array = fc
      .array(fc.constantFrom(...ARRAY_PIECES), { maxLength: 10 })
      .map((parts) => `CMD [${parts.join('')}`);
    fc.assert(
      fc.property(array, (text) => {
        expectSameAsGrammar(engine, text);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads unclosed arrays as shell form', () => {
    const engine = builtinEngine();
    const array = fc
      .array(fc.constantFrom(...ARRAY_PIECES.filter((piece) => !piece.includes(']'))), {
        maxLength: 10,
      })
      .map((parts) => `[${parts.join('')}`);
    fc.assert(
      fc.property(array, (text) => {
        engine.grammar.input = engine.lexer.tokenize(text, 'json').tokens;
        engine.grammar.execForm();
        expect(engine.grammar.errors).not.toEqual([]);
        expect(engine.parseExec(text, 0, text.length)).toEqual({ kind: 'shell' });
      }),
      { numRuns: 1000 },
    );
  });

  it('reads keywords of any case and unknown names', () => {
    const engine = builtinEngine();
    const known = engine.parseSimpleLine('cOpY --from=a -- --b c');
    expect(known).toBeDefined();
    expect(describeCst(known as CstNode)).toEqual({
      Keyword: [['KeywordCOPY', 'cOpY', 0]],
      Flag: [
        ['Flag', '--from=a', 5],
        ['Flag', '--b', 17],
      ],
      FlagsEnd: [['FlagsEnd', '--', 14]],
      Text: [['Text', 'c', 21]],
    });
    const unknown = engine.parseSimpleLine('RUNX a');
    expect(unknown).toBeDefined();
    expect(describeCst(unknown as CstNode)).toEqual({
      Name: [['Name', 'RUNX', 0]],
      Text: [['Text', 'a', 5]],
    });
  });

  it('reads arrays of strings', () => {
    const engine = builtinEngine();
    const exec = engine.parseSimpleLine('CMD [ "a","b" ] ');
    expect(exec).toBeDefined();
    expect(describeCst(exec as CstNode)).toEqual({
      Keyword: [['KeywordCMD', 'CMD', 0]],
      BodyBracket: [['BodyBracket', '[', 4]],
      JsonToken: [
        ['JsonString', '"a"', 6],
        ['Comma', ',', 9],
        ['JsonString', '"b"', 10],
        ['RSquare', ']', 14],
      ],
    });
  });

  it('gives parseExec the result of the json lexer', () => {
    const engine = builtinEngine();
    const array = fc
      .array(fc.constantFrom(...PIECES), { maxLength: 8 })
      .map((parts) => `[${parts.join('')}`);
    fc.assert(
      fc.property(array, (text) => {
        const lexed = engine.lexer.tokenize(text, 'json').tokens;
        const expected = engine.parseExecTokens(lexed, 0);
        expect(engine.parseExec(text, 0, text.length)).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('is off for instruction names with white space', () => {
    const engine = new SyntaxEngine([
      ...BUILTIN_INSTRUCTIONS,
      { name: 'MY CMD', arguments: 'string' },
    ]);
    expect(engine.parseSimpleLine('RUN a')).toBeUndefined();
  });
});
