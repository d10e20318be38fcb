import { describe, expect, it } from 'vitest';
import { findNodesAt } from './find-node.js';
import type { SyntaxNode } from './nodes.js';
import { parseSyntax } from './parse-syntax.js';

const SOURCE = [
  '# syntax=docker/dockerfile:1',
  'FROM busybox  AS build',
  '# a comment',
  'COPY --chown=app \\',
  '    src/ /app/',
  'ENV MODE=release',
  'ONBUILD RUN --network=none make',
  'RUN <<EOF',
  'echo 😀 hi',
  'EOF',
  '',
].join('\n');

/** Describes each node of a path by its kind and text. */
function path(nodes: readonly SyntaxNode[]): string[] {
  return nodes.map((node) => `${node.kind} ${node.text.split('\n')[0]}`);
}

function at(line: number, character: number): string[] {
  return path(findNodesAt(parseSyntax(SOURCE), { line, character }));
}

describe('findNodesAt', () => {
  it.each([
    ['a directive', 0, 3, ['directive # syntax=docker/dockerfile:1']],
    ['a keyword', 1, 2, ['instruction FROM busybox  AS build', 'keyword FROM']],
    ['the end of a word', 1, 12, ['instruction FROM busybox  AS build', 'argument busybox']],
    ['a comment', 2, 5, ['comment # a comment']],
    ['a flag', 3, 8, ['instruction COPY --chown=app \\', 'flag --chown=app']],
    ['a continued line', 4, 6, ['instruction COPY --chown=app \\', 'argument src/']],
    [
      'a pair value',
      5,
      12,
      ['instruction ENV MODE=release', 'pair MODE=release', 'argument release'],
    ],
    [
      'a flag inside ONBUILD',
      6,
      15,
      [
        'instruction ONBUILD RUN --network=none make',
        'instruction RUN --network=none make',
        'flag --network=none',
      ],
    ],
    ['a heredoc body', 8, 7, ['instruction RUN <<EOF', 'heredoc echo 😀 hi']],
  ])('finds %s', (_, line, character, expected) => {
    expect(at(line, character)).toEqual(expected);
  });

  it('returns the instruction between its words', () => {
    expect(at(1, 13)).toEqual(['instruction FROM busybox  AS build']);
  });

  it('returns nothing on an empty line', () => {
    expect(at(10, 0)).toEqual([]);
  });

  it('takes an offset as well as a position', () => {
    const tree = parseSyntax(SOURCE);
    const offset = SOURCE.indexOf('--chown') + 2;
    expect(path(findNodesAt(tree, offset))).toEqual(at(3, 7));
  });

  it('counts characters in UTF-16 code units', () => {
    const tree = parseSyntax('FROM a\nLABEL x="😀" y=z\n');
    expect(path(findNodesAt(tree, { line: 1, character: 14 }))).toEqual([
      'instruction LABEL x="😀" y=z',
      'pair y=z',
      'argument y',
    ]);
  });

  it('reads a character past the line end as the end', () => {
    const tree = parseSyntax('FROM alpine\r\nRUN make\r\n');
    expect(path(findNodesAt(tree, { line: 0, character: 50 }))).toEqual([
      'instruction FROM alpine',
      'argument alpine',
    ]);
  });

  it('returns nothing outside the source', () => {
    const tree = parseSyntax('FROM a\n');
    expect(findNodesAt(tree, 100)).toEqual([]);
    expect(findNodesAt(tree, { line: 5, character: 0 })).toEqual([]);
    expect(findNodesAt(tree, -1)).toEqual([]);
  });
});
