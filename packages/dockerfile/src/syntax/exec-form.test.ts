import { describe, expect, it } from 'vitest';
import { dumpSyntax } from './dump.js';
import { decodeString } from './exec-form.js';
import { parseSyntax } from './parse-syntax.js';

function dump(source: string): string {
  return dumpSyntax(parseSyntax(source));
}

describe('decodeString', () => {
  it.each([
    ['""', ''],
    ['"plain text"', 'plain text'],
    ['"a\\"b"', 'a"b'],
    ['"\\u00e9t\\u00e9"', 'été'],
    ['"été \u2028"', 'été \u2028'],
  ])('decodes %s', (literal, value) => {
    expect(decodeString(literal)).toBe(value);
  });

  it.each([['"'], ['"open'], ['"tab\there"'], ['"a\\q"']])('rejects %s', (literal) => {
    expect(decodeString(literal)).toBeUndefined();
  });
});

describe('string arrays', () => {
  it.each([
    ['CMD []', '(cmd)'],
    ['CMD ["a",]', '(cmd "[\\"a\\",]")'],
    ['CMD ["a" "b"]', '(cmd "[\\"a\\" \\"b\\"]")'],
    ['CMD ["a\\q", 1]', '(cmd "[\\"a\\\\q\\", 1]")'],
    ['CMD ["tab\there"]', '(cmd "[\\"tab\\there\\"]")'],
    ['CMD [ "a" , "b" ] ["c"]', '(cmd "a" "b")'],
  ])('reads %s', (line, expected) => {
    expect(dump(`${line}\n`)).toBe(`${expected}\n`);
  });

  it('reports a non-string after strings', () => {
    const tree = parseSyntax('CMD ["a", "b", 3]\n');
    expect(tree.diagnostics.map((item) => item.rule)).toEqual(['exec-form-not-strings']);
  });
});
