import { describe, expect, it } from 'vitest';
import { parse } from './parse.js';

/** One Dockerfile for each rule, and the rule it must report. */
const CASES: readonly (readonly [rule: string, source: string])[] = [
  ['unknown-instruction', 'FROM a\nFORM b\n'],
  ['exec-form-not-strings', 'FROM a\nCMD ["a", 1]\n'],
  ['missing-value', 'FROM a\nENV A\n'],
  ['missing-equals', 'FROM a\nENV A=1 B\n'],
  ['invalid-onbuild', 'FROM a\nONBUILD FROM b\n'],
  ['duplicate-directive', '# escape=\\\n# escape=\\\nFROM a\n'],
  ['invalid-escape', '# escape=x\nFROM a\n'],
  ['invalid-heredoc', 'FROM a\nRUN <<"EOF\necho\nEOF\n'],
  ['unterminated-heredoc', 'FROM a\nRUN <<EOF\necho\n'],
  ['no-instructions', '# just a comment\n'],
  ['no-instructions', ''],
  ['NoEmptyContinuation', 'FROM a\nRUN a \\\n\n  b\n'],
  ['unknown-flag', 'FROM a\nCOPY --form=a b c\n'],
  ['duplicate-flag', 'FROM a\nCOPY --chown=1 --chown=1 b c\n'],
  ['invalid-flag', 'FROM a\nRUN --network=bogus a\n'],
  ['missing-arguments', 'FROM a\nCOPY b\n'],
  ['invalid-from', 'FROM a b\n'],
  ['invalid-stage-name', 'FROM a AS 1x\n'],
  ['shell-not-exec-form', 'FROM a\nSHELL sh\n'],
  ['invalid-flag', 'FROM a\nHEALTHCHECK --retries=x CMD x\n'],
  ['invalid-healthcheck', 'FROM a\nHEALTHCHECK FOO\n'],
  ['instruction-before-from', 'RUN a\nFROM a\n'],
  ['duplicate-stage-name', 'FROM a AS x\nFROM a AS x\n'],
];

describe('diagnostic messages', () => {
  it.each(CASES)('ends %s with its line and column', (rule, source) => {
    const diagnostic = parse(source).diagnostics.find((item) => item.rule === rule);
    expect(diagnostic).toBeDefined();
    const { line, character } = diagnostic?.range.start ?? { line: -1, character: -1 };
    expect(diagnostic?.message).toMatch(/[^ .] \(line \d+, column \d+\)$/);
    expect(diagnostic?.message.endsWith(`(line ${line + 1}, column ${character + 1})`)).toBe(true);
  });

  it('places no-instructions after the last line', () => {
    const [diagnostic] = parse('# just a comment\n').diagnostics;
    expect(diagnostic?.message).toBe(
      'the Dockerfile has no instructions: add at least a FROM line, for example FROM alpine:3.20 (line 2, column 1)',
    );
  });

  it('names the empty continuation line once', () => {
    const [diagnostic] = parse('FROM a\nRUN a \\\n\n  b\n').diagnostics;
    expect(diagnostic?.message).toBe(
      'empty continuation line: remove the empty line or end the instruction before it (line 3, column 1)',
    );
  });
});
