import { expect, test } from 'vitest';
import { LineBuffer, MAX_PARTIAL_LINE } from './line-buffer.js';

function collect(chunks: [string, number][], flush = false): [string, number][] {
  const buffer = new LineBuffer();
  const lines: [string, number][] = [];
  const onLine = (line: string, time: number) => lines.push([line, time]);
  for (const [chunk, time] of chunks) {
    buffer.push(chunk, time, onLine);
  }
  if (flush) {
    buffer.flush(onLine);
  }
  return lines;
}

test('line buffer splits complete lines', () => {
  expect(collect([['a\nb\n', 1]])).toEqual([
    ['a', 1],
    ['b', 1],
  ]);
});

test('line buffer joins a line across chunks at its first time', () => {
  expect(
    collect([
      ['par', 1],
      ['tial\nnext', 2],
      ['\n', 3],
    ]),
  ).toEqual([
    ['partial', 1],
    ['next', 2],
  ]);
});

test('line buffer keeps empty lines', () => {
  expect(collect([['\n\nx\n', 5]])).toEqual([
    ['', 5],
    ['', 5],
    ['x', 5],
  ]);
});

test('line buffer flushes the partial line', () => {
  expect(collect([['no newline', 7]], true)).toEqual([['no newline', 7]]);
});

test('line buffer releases an over-long partial line', () => {
  const lines = collect([['x'.repeat(MAX_PARTIAL_LINE + 1), 1]]);

  expect(lines).toHaveLength(1);
  expect(lines[0]?.[0]).toHaveLength(MAX_PARTIAL_LINE + 1);
});
