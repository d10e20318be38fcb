import { describe, expect, it } from 'vitest';
import { DockerfileExtensionError } from './errors.js';
import { createDockerfileParser, type DockerfileExtensions } from './extension.js';

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

describe('createDockerfileParser misuse', () => {
  it.each([
    [
      'an empty name',
      { instructions: [{ name: '', arguments: 'string' }] },
      'invalid instruction name ""',
    ],
    ['a tab', { instructions: [{ name: 'MY\tTEST', arguments: 'string' }] }, '"MY\\tTEST"'],
    [
      'a built-in name',
      { instructions: [{ name: 'run', arguments: 'string' }] },
      'RUN is built in',
    ],
    [
      'an instruction added twice',
      {
        instructions: [
          { name: 'TEST', arguments: 'string' },
          { name: 'test', arguments: 'list' },
        ],
      },
      'TEST is added twice',
    ],
    [
      'an unknown argument rule',
      { instructions: [{ name: 'TEST', arguments: 'nope' as never }] },
      'invalid argument rule "nope" for TEST',
    ],
    ['a flag with dashes', { flags: [{ instruction: 'COPY', name: '--sbom' }] }, 'as in sbom'],
    ['an empty flag name', { flags: [{ instruction: 'COPY', name: '' }] }, 'invalid flag name ""'],
    [
      'a flag on an unknown instruction',
      { flags: [{ instruction: 'NOPE', name: 'x' }] },
      'this parser reads no such instruction',
    ],
    [
      'a built-in flag',
      { flags: [{ instruction: 'copy', name: 'from' }] },
      '--from is built into COPY',
    ],
    [
      'a flag added twice',
      {
        flags: [
          { instruction: 'COPY', name: 'sbom' },
          { instruction: 'COPY', name: 'sbom' },
        ],
      },
      '--sbom is added twice to COPY',
    ],
  ] satisfies [string, DockerfileExtensions, string][])('rejects %s', (_, extensions, message) => {
    expect(() => createDockerfileParser(extensions)).toThrow(DockerfileExtensionError);
    expect(() => createDockerfileParser(extensions)).toThrow(message);
  });

  it('gives the error a code and the value', () => {
    const error = captureError(() =>
      createDockerfileParser({ instructions: [{ name: 'FROM', arguments: 'list' }] }),
    );
    expect(error).toBeInstanceOf(DockerfileExtensionError);
    expect(error).toMatchObject({ code: 'DOCKERFILE_EXTENSION', value: 'FROM' });
  });

  it('accepts a spaced name and its flag', () => {
    const parser = createDockerfileParser({
      instructions: [{ name: 'MY TEST', arguments: 'string' }],
      flags: [{ instruction: 'my test', name: 'fast' }],
    });
    const file = parser.parse('FROM a\nMY TEST --fast x\n');
    expect(file.diagnostics).toEqual([]);
    expect(file.instructions[1]?.flags[0]).toMatchObject({ name: 'fast', status: 'parsed' });
  });
});

function captureError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}
