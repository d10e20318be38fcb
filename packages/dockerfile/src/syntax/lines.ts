/**
 * Physical lines of the source and the mapping from an instruction's joined
 * text back to source positions.
 */
import type { Position, Range } from './nodes.js';

/** Offsets of every physical line: start, end of content (before `\r\n`) and end. */
export interface LineTable {
  readonly starts: number[];
  readonly contentEnds: number[];
  readonly ends: number[];
}

/**
 * A run of source text copied into an instruction's joined text.
 * @internal
 */
export interface Segment {
  /** Offset in the joined text. */
  readonly logical: number;
  /** Offset in the source. */
  readonly source: number;
  readonly length: number;
  readonly line: number;
  readonly lineStart: number;
}

/** Splits the source into lines; a line's content ends before any run of `\r` and `\n`. */
export function splitLines(source: string): LineTable {
  const starts: number[] = [];
  const contentEnds: number[] = [];
  const ends: number[] = [];
  let start = 0;
  while (start < source.length) {
    const newline = source.indexOf('\n', start);
    const end = newline === -1 ? source.length : newline + 1;
    let contentEnd = end;
    while (contentEnd > start && isLineBreak(source.charCodeAt(contentEnd - 1))) contentEnd--;
    starts.push(start);
    contentEnds.push(contentEnd);
    ends.push(end);
    start = end;
  }
  return { starts, contentEnds, ends };
}

function isLineBreak(code: number): boolean {
  return code === 10 || code === 13;
}

/** Returns the position just after the last character, on a new line after a final line feed. */
export function endOfSource(source: string, lines: LineTable): Position {
  const count = lines.starts.length;
  if (source.endsWith('\n')) return { line: count, character: 0, offset: source.length };
  const lastStart = lines.starts[count - 1] ?? 0;
  return {
    line: Math.max(count - 1, 0),
    character: source.length - lastStart,
    offset: source.length,
  };
}

/** Returns the position of a source offset on a known line. */
export function positionOnLine(line: number, lineStart: number, offset: number): Position {
  return { line, character: offset - lineStart, offset };
}

/** Returns the range of `[start, end)` on one line. */
export function rangeOnLine(line: number, lineStart: number, start: number, end: number): Range {
  return {
    start: positionOnLine(line, lineStart, start),
    end: positionOnLine(line, lineStart, end),
  };
}

/**
 * Maps `[start, end)` of an instruction's joined text to a source range.
 * A start on a segment boundary maps to the next segment and an end to the
 * previous one, so a range never takes in a removed continuation at its edges.
 */
export function mapRange(segments: readonly Segment[], start: number, end: number): Range {
  if (segments.length === 1) return mapOnSegment(segments[0] as Segment, start, end);
  const first = findSegment(segments, start, false);
  const last = end > start ? findSegment(segments, end, true) : first;
  return {
    start: positionOnLine(first.line, first.lineStart, first.source + start - first.logical),
    end: positionOnLine(last.line, last.lineStart, last.source + end - last.logical),
  };
}

/** Maps a range of an instruction that sits on one line. */
function mapOnSegment(segment: Segment, start: number, end: number): Range {
  const shift = segment.source - segment.logical;
  const character = shift - segment.lineStart;
  return {
    start: { line: segment.line, character: start + character, offset: start + shift },
    end: { line: segment.line, character: end + character, offset: end + shift },
  };
}

function findSegment(segments: readonly Segment[], offset: number, isEnd: boolean): Segment {
  let low = 0;
  let high = segments.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    const segment = segments[middle] as Segment;
    const startsAfter = isEnd ? segment.logical >= offset : segment.logical > offset;
    if (startsAfter) high = middle - 1;
    else low = middle;
  }
  return segments[low] as Segment;
}
