import { dumpSyntax, parse, printSyntax } from '@gantry/dockerfile';
import { describe, expect, it } from 'vitest';
import { createTestParser, testCommands } from './test-instruction.js';

const DOCKERFILE = [
  'FROM golang:1.22 AS build',
  'COPY --sbom . /src',
  'test --timeout=60 go test ./...',
  'TEST ["go", "vet", "./..."]',
  '',
].join('\n');

describe('TEST instruction extension', () => {
  const parser = createTestParser();

  it('parses TEST in shell and exec form with typed data', () => {
    const file = parser.parse(DOCKERFILE);
    expect(file.diagnostics).toEqual([]);
    expect(testCommands(file.instructions)).toEqual([
      { form: 'shell', command: ['go test ./...'], timeoutSeconds: 60 },
      { form: 'exec', command: ['go', 'vet', './...'], timeoutSeconds: undefined },
    ]);
  });

  it('types the added COPY flag', () => {
    const copy = parser.parse(DOCKERFILE).instructions[1];
    expect(copy?.flags[0]).toMatchObject({ name: 'sbom', status: 'parsed', value: true });
  });

  it('dumps and prints the new instruction like a built-in one', () => {
    const tree = parser.parseSyntax(DOCKERFILE);
    expect(dumpSyntax(tree)).toContain('(test ["--timeout=60"] "go test ./...")\n');
    expect(printSyntax(tree)).toBe(DOCKERFILE);
  });

  it('reports an invalid value of an added flag', () => {
    const [diagnostic] = parser.parse('FROM a\nTEST --timeout=soon true\n').diagnostics;
    expect(diagnostic?.rule).toBe('invalid-flag');
    expect(diagnostic?.message).toContain('expected a whole number of seconds');
  });

  it('leaves the built-in parser without the extension', () => {
    const [diagnostic] = parse(DOCKERFILE).diagnostics;
    expect(diagnostic?.message).toContain('unknown flag --sbom on COPY');
    expect(parser.instructionNames).toContain('TEST');
  });

  it('suggests the added instruction for a misspelling', () => {
    const [diagnostic] = parser.parse('FROM a\nTETS go test\n').diagnostics;
    expect(diagnostic?.message).toContain('did you mean TEST?');
  });
});
