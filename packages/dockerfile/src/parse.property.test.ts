// Property tests: random text and mutated fixture files never make parse()
// throw, and the printer always gives the input back.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from './parse.js';
import { printSyntax } from './print/print.js';
import { dumpSyntax } from './syntax/dump.js';

const golden = join(import.meta.dirname, '../testdata/golden');
const fixtures = readdirSync(golden).map((name) =>
  readFileSync(join(golden, name, 'Dockerfile'), 'utf8'),
);

/** Pieces that reach the hard paths: continuations, heredocs, JSON, flags, directives. */
const PIECES = [
  'FROM ',
  'RUN ',
  'COPY ',
  'ENV ',
  'LABEL ',
  'ARG ',
  'ONBUILD ',
  'HEALTHCHECK ',
  'CMD ',
  'SHELL ',
  '\\',
  '`',
  '\n',
  '\r\n',
  ' ',
  '\t',
  '#',
  '# escape=`\n',
  '# syntax=x\n',
  '<<',
  '<<-',
  'EOF',
  '\n\tEOF\n',
  '[',
  ']',
  '"',
  "'",
  ',',
  '--',
  '--mount=',
  '=',
  '$',
  '{',
  '}',
  'x',
  '1',
  '\uFEFF',
  'é',
  '\u00a0',
];

const dockerfileText = fc
  .array(fc.constantFrom(...PIECES), { maxLength: 80 })
  .map((parts) => parts.join(''));

function checkInvariants(source: string): void {
  const file = parse(source);
  expect(printSyntax(file.syntax)).toBe(source);
  expect(typeof dumpSyntax(file.syntax)).toBe('string');
  for (const diagnostic of file.diagnostics) {
    expect(diagnostic.range.start.offset).toBeLessThanOrEqual(diagnostic.range.end.offset);
  }
}

describe('parse properties', () => {
  it('never throws on random text and prints it back', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), checkInvariants), { numRuns: 300 });
  });

  it('never throws on random Dockerfile pieces and prints them back', () => {
    fc.assert(fc.property(dockerfileText, checkInvariants), { numRuns: 500 });
  });

  it('never throws on mutated fixture files and prints them back', () => {
    const mutation = fc.record({
      file: fc.nat({ max: fixtures.length - 1 }),
      at: fc.nat(),
      remove: fc.nat({ max: 12 }),
      insert: fc.constantFrom(...PIECES),
    });
    const mutated = fc.array(mutation, { minLength: 1, maxLength: 6 }).map((edits) => {
      let text = fixtures[edits[0]?.file ?? 0] ?? '';
      for (const edit of edits) {
        const at = edit.at % (text.length + 1);
        text = text.slice(0, at) + edit.insert + text.slice(at + edit.remove);
      }
      return text;
    });
    fc.assert(fc.property(mutated, checkInvariants), { numRuns: 300 });
  });
});
