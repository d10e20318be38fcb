import { describe, expect, it } from 'vitest';
import { createDockerfileParser } from './extension.js';

describe('createDockerfileParser', () => {
  const parser = createDockerfileParser({
    instructions: [
      { name: 'deploy', arguments: 'list', type: (syntax) => syntax.arguments.length },
      {
        name: 'BROKEN',
        arguments: 'string',
        type: () => {
          throw new Error('typer failed');
        },
      },
      { name: 'WRITE', arguments: 'exec-or-list', heredocs: true },
    ],
    flags: [{ instruction: 'RUN', name: 'retry', parse: (value) => Number(value ?? '1') }],
  });

  it('adds an instruction with typed data', () => {
    const file = parser.parse('FROM a\nDEPLOY staging eu\n');
    expect(file.diagnostics).toEqual([]);
    expect(file.instructions[1]).toMatchObject({ kind: 'other', name: 'DEPLOY', data: 2 });
  });

  it('adds a flag to a built-in instruction', () => {
    const run = parser.parse('FROM a\nRUN --retry=3 make\n').instructions[1];
    expect(run?.flags[0]).toMatchObject({ name: 'retry', status: 'parsed', value: 3 });
  });

  it('lets an added instruction open heredocs', () => {
    const tree = parser.parseSyntax('WRITE <<EOF /etc/motd\nhello\nEOF\n');
    expect(tree.instructions[0]?.heredocs[0]?.content).toBe('hello\n');
  });

  it('turns an error of a typer into a diagnostic', () => {
    const file = parser.parse('FROM a\nBROKEN x\n');
    expect(file.diagnostics.map((item) => item.rule)).toEqual(['invalid-instruction']);
    expect(file.diagnostics[0]?.message).toContain('invalid BROKEN: typer failed');
  });

  it('throws from parseStrict on an error', () => {
    expect(() => parser.parseStrict('FROM a\nRUN --retri=3 make\n')).toThrow(
      /did you mean --retry\?/,
    );
  });
});
