import { describe, expect, it } from 'vitest';
import { dumpSyntax } from '../syntax/dump.js';
import { parseSyntax } from '../syntax/parse-syntax.js';
import { addFlag, replaceText } from './edit.js';
import { formatSyntax } from './format.js';
import { printSyntax } from './print.js';

const SAMPLE = [
  '# syntax=docker/dockerfile:1',
  '',
  'ARG BASE=alpine:3.19',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Dockerfile text, expanded by Docker.
  'FROM ${BASE} AS build   ',
  '  # indented comment',
  'RUN apk add \\',
  '    # a note',
  '',
  '      make gcc',
  'COPY <<EOF /etc/motd',
  'hello',
  'EOF',
  'CMD ["make", "all"]',
  'ONBUILD COPY --chown=app . /src',
  '',
].join('\n');

describe('printSyntax', () => {
  it.each([
    ['a sample with comments, continuations and a heredoc', SAMPLE],
    ['CRLF line endings', SAMPLE.replaceAll('\n', '\r\n')],
    ['no final newline', 'FROM a\nRUN b'],
    ['a continuation at end of file', 'FROM a\nRUN b \\'],
    ['tabs and blank lines', '\tFROM\ta\n\n\n\tRUN\t\tb\t\n'],
    ['a byte order mark', '\uFEFFFROM a\n'],
    ['an escape directive', '# escape=`\nRUN a `\n  b\n'],
    ['an unterminated heredoc', 'RUN <<EOF\nno end\n'],
    ['text with errors', 'FORM a\nENV X\nCMD [1]\n'],
    ['an empty file', ''],
  ])('gives back %s byte for byte', (_, source) => {
    expect(printSyntax(parseSyntax(source))).toBe(source);
  });

  it('prints an edited FROM tag with the rest untouched', () => {
    const tree = parseSyntax('FROM alpine:3.19 AS build\n# keep me\nRUN  make\n');
    const image = tree.instructions[0]?.arguments[0];
    if (image === undefined) throw new Error('no image argument');
    replaceText(image, 'alpine:3.20');
    expect(printSyntax(tree)).toBe('FROM alpine:3.20 AS build\n# keep me\nRUN  make\n');
  });

  it('prints an added flag after the last flag', () => {
    const tree = parseSyntax('COPY --chown=app  a /b\nCOPY x \\\n  /y\n');
    const [first, second] = tree.instructions;
    if (first === undefined || second === undefined) throw new Error('missing instructions');
    addFlag(first, '--link');
    addFlag(second, '--chmod=755');
    expect(printSyntax(tree)).toBe('COPY --chown=app --link  a /b\nCOPY --chmod=755 x \\\n  /y\n');
    expect(second.flags[0]?.name).toBe('chmod');
    expect(second.flags[0]?.value).toBe('755');
  });

  it('prints an edited exec-form element and ENV value', () => {
    const tree = parseSyntax('CMD ["a", "b"]\nENV A=1 B=2\n');
    const cmd = tree.instructions[0]?.arguments[1];
    const value = tree.instructions[1]?.pairs[1]?.value;
    if (cmd === undefined || value === undefined) throw new Error('missing nodes');
    replaceText(cmd, '"c"');
    replaceText(value, '3');
    expect(printSyntax(tree)).toBe('CMD ["a", "c"]\nENV A=1 B=3\n');
  });
});

describe('formatSyntax', () => {
  it('upper-cases keywords, trims blanks and keeps heredocs', () => {
    const tree = parseSyntax('\n\nfrom a   \n\n\n\nrun <<EOF\nkeep   \nEOF\nonbuild run x');
    expect(formatSyntax(tree)).toBe('FROM a\n\nRUN <<EOF\nkeep   \nEOF\nONBUILD RUN x\n');
  });

  it.each([
    ['an empty line', '\n# escape=`\nFROM a\nRUN a `\n b\n'],
    ['a line of blanks', '  \t\n\n# escape=`\nFROM a\nRUN a `\n b\n'],
  ])('keeps %s before a leading comment', (_, source) => {
    const tree = parseSyntax(source);
    const formatted = parseSyntax(formatSyntax(tree));
    expect(formatSyntax(tree)).toBe('\n# escape=`\nFROM a\nRUN a `\n B\n');
    expect(formatted.escape).toBe('\\');
    expect(formatted.directives).toEqual([]);
    expect(dumpSyntax(formatted)).toBe(dumpSyntax(tree));
  });

  it('leaves the tree unchanged', () => {
    const source = 'from a\n';
    const tree = parseSyntax(source);
    formatSyntax(tree);
    expect(printSyntax(tree)).toBe(source);
  });
});
