/**
 * The line scanner in front of the chevrotain grammar. It reads physical lines
 * the way BuildKit does: parser directives at the top, comment and blank lines,
 * continued instructions joined into one logical line (comment lines inside
 * them dropped, empty lines dropped with a warning), and heredoc bodies after
 * the line that opens them. What is left, one logical line per instruction,
 * goes to the grammar.
 */
import { continuationCut, isSpaceCode } from './continuation.js';
import { createDiagnostic } from './diagnostic.js';
import { matchDirective } from './directives.js';
import type { HeredocMarker, HeredocMarkerError } from './heredoc-marker.js';
import {
  endOfSource,
  type LineTable,
  mapRange,
  positionOnLine,
  rangeOnLine,
  type Segment,
} from './lines.js';
import {
  type CommentNode,
  type Diagnostic,
  type DirectiveNode,
  type HeredocNode,
  NONE,
  type Position,
  type Range,
} from './nodes.js';

/**
 * One instruction as the scanner found it.
 * @internal
 */
export interface ScannedInstruction {
  readonly kind: 'scanned';
  /** The joined logical line. */
  readonly text: string;
  readonly segments: Segment[];
  readonly comments: readonly CommentNode[];
  readonly heredocs: readonly HeredocNode[];
  /** Source offsets from the first character to the end of the last line or heredoc. */
  readonly start: number;
  readonly end: number;
  readonly range: Range;
}

/** End of a heredoc body. */
interface HeredocBody {
  terminated: boolean;
  contentEnd: number;
  end: number;
  endLine: number;
}

/** @internal */
export type ScannedItem = ScannedInstruction | CommentNode | DirectiveNode;

/** @internal */
export interface ScanResult {
  readonly items: ScannedItem[];
  readonly escape: '\\' | '`';
  readonly diagnostics: Diagnostic[];
}

/**
 * Finds the heredoc markers of a logical line, or none when the instruction
 * takes no heredocs.
 * @internal
 */
export type HeredocFinder = (line: string, errors: HeredocMarkerError[]) => HeredocMarker[];

/** Scans the whole source into directives, comments and logical instructions. */
export function scan(source: string, lines: LineTable, findHeredocs: HeredocFinder): ScanResult {
  const diagnostics: Diagnostic[] = [];
  const scanner = new LineScanner(source, lines, findHeredocs, diagnostics);
  scanner.run(Number.POSITIVE_INFINITY);
  return { items: scanner.take(), escape: scanner.escape, diagnostics };
}

/**
 * The scanner state over one source. `run` scans on until enough items wait,
 * so a caller can build nodes batch by batch while the items are still young.
 * @internal
 */
export class LineScanner {
  private items: ScannedItem[] = [];
  readonly diagnostics: Diagnostic[];
  escape: '\\' | '`' = '\\';
  private directivesDone = false;
  private readonly seenDirectives = new Set<string>();
  private line = 0;

  private readonly source: string;
  private readonly lines: LineTable;
  private readonly findHeredocs: HeredocFinder;

  constructor(
    source: string,
    lines: LineTable,
    findHeredocs: HeredocFinder,
    diagnostics: Diagnostic[],
  ) {
    this.source = source;
    this.lines = lines;
    this.findHeredocs = findHeredocs;
    this.diagnostics = diagnostics;
  }

  /** True while lines are left to scan. */
  get pending(): boolean {
    return this.line < this.lines.starts.length;
  }

  /** Returns the items scanned so far and clears the list. */
  take(): ScannedItem[] {
    const items = this.items;
    this.items = [];
    return items;
  }

  /** Scans lines until `limit` items wait or the source ends. */
  run(limit: number): void {
    const count = this.lines.starts.length;
    while (this.line < count && this.items.length < limit) {
      const line = this.line;
      const contentEnd = this.lines.contentEnds[line] as number;
      let from = this.lines.starts[line] as number;
      if (line === 0 && this.source.charCodeAt(0) === 0xfeff) from++;
      const indent = skipSpaceUntil(this.source, from, contentEnd);
      if (!this.directivesDone && this.readDirective(indent, contentEnd)) continue;
      if (this.source.charCodeAt(indent) === 35 && indent < contentEnd) {
        this.items.push(this.comment(line, indent, contentEnd));
        this.line++;
      } else if (indent === contentEnd) {
        this.line++;
      } else {
        const instruction = this.instruction(indent);
        // A line of only an escape character, continued by blank lines, contains no instruction.
        if (!isBlankText(instruction.text)) this.items.push(instruction);
      }
    }
  }

  /** Reads a directive line; returns false and ends the directive block otherwise. */
  private readDirective(indent: number, contentEnd: number): boolean {
    const match = matchDirective(this.source.slice(indent, contentEnd));
    if (match === undefined) {
      this.directivesDone = true;
      return false;
    }
    const line = this.line;
    const range = rangeOnLine(line, this.lines.starts[line] as number, indent, contentEnd);
    const text = this.source.slice(indent, contentEnd);
    this.items.push({ kind: 'directive', name: match.name, value: match.value, range, text });
    this.line++;
    if (this.seenDirectives.has(match.name)) {
      this.error(
        'duplicate-directive',
        `only one ${match.name} parser directive can be used; remove the repeated one`,
        range,
      );
    }
    this.seenDirectives.add(match.name);
    if (match.name === 'escape') this.setEscape(match.value, range);
    return true;
  }

  private setEscape(value: string, range: Range): void {
    if (value === '\\' || value === '`') {
      this.escape = value;
      return;
    }
    this.error(
      'invalid-escape',
      `invalid escape character '${value}': the escape directive takes \\ or \` (for example # escape=\`)`,
      range,
    );
  }

  private comment(line: number, start: number, end: number): CommentNode {
    const text = this.source.slice(start, end);
    const range = rangeOnLine(line, this.lines.starts[line] as number, start, end);
    return { kind: 'comment', value: text.slice(1).trim(), range, text };
  }

  private instruction(indent: number): ScannedInstruction {
    const segments: Segment[] = [];
    let comments: CommentNode[] | undefined;
    let emptyLines: Range[] | undefined;
    let text = '';
    let from = indent;
    let lastLine = this.line;
    let continues = true;
    while (continues && this.line < this.lines.starts.length) {
      const line = this.line;
      const lineStart = this.lines.starts[line] as number;
      const contentEnd = this.lines.contentEnds[line] as number;
      this.line++;
      if (line !== lastLine || segments.length > 0) {
        const indentOfLine = skipSpaceUntil(this.source, lineStart, contentEnd);
        if (this.source.charCodeAt(indentOfLine) === 35 && indentOfLine < contentEnd) {
          comments ??= [];
          comments.push(this.comment(line, indentOfLine, contentEnd));
          continue;
        }
        if (indentOfLine === contentEnd) {
          emptyLines ??= [];
          emptyLines.push(rangeOnLine(line, lineStart, lineStart, contentEnd));
          continue;
        }
        from = lineStart;
      }
      const content = this.source.slice(from, contentEnd);
      const cut = continuationCut(content, this.escape);
      const kept = cut === -1 ? content.length : cut;
      segments.push({ logical: text.length, source: from, length: kept, line, lineStart });
      text += cut === -1 ? content : content.slice(0, cut);
      continues = cut !== -1;
      lastLine = line;
    }
    return this.finishInstruction(
      text,
      segments,
      comments ?? NONE,
      emptyLines ?? NONE,
      indent,
      lastLine,
    );
  }

  private finishInstruction(
    text: string,
    segments: Segment[],
    comments: readonly CommentNode[],
    emptyLines: readonly Range[],
    start: number,
    lastLine: number,
  ): ScannedInstruction {
    for (const range of emptyLines) {
      this.diagnostics.push(
        createDiagnostic(
          'warning',
          'NoEmptyContinuation',
          'empty continuation line: remove the empty line or end the instruction before it',
          range,
        ),
      );
    }
    const heredocs = this.readHeredocs(text, segments);
    const lastHeredoc = heredocs[heredocs.length - 1];
    const lineStart = this.lines.starts[lastLine] as number;
    const lineEnd = this.lines.contentEnds[lastLine] as number;
    const endPosition = lastHeredoc?.range.end ?? positionOnLine(lastLine, lineStart, lineEnd);
    const first = segments[0] as Segment;
    const startPosition = positionOnLine(first.line, first.lineStart, start);
    return {
      kind: 'scanned',
      text,
      segments,
      comments,
      heredocs,
      start,
      end: endPosition.offset,
      range: { start: startPosition, end: endPosition },
    };
  }

  private readHeredocs(text: string, segments: Segment[]): readonly HeredocNode[] {
    if (!text.includes('<<')) return NONE;
    const errors: HeredocMarkerError[] = [];
    const markers = this.findHeredocs(text, errors);
    if (errors.length === 0) return markers.map((marker) => this.readHeredoc(marker, segments));
    for (const error of errors) {
      this.error('invalid-heredoc', error.message, mapRange(segments, error.start, error.end));
    }
    return this.readWithInvalidMarkers(markers, errors, segments);
  }

  /**
   * Reads the bodies of a line with invalid markers, in marker order. An invalid
   * marker's body is read only up to a terminator line that matches its
   * recovered name, so its lines give no follow-on errors. Without such a line
   * nothing confirms that a heredoc was meant, and the lines are read as usual.
   */
  private readWithInvalidMarkers(
    markers: readonly HeredocMarker[],
    errors: readonly HeredocMarkerError[],
    segments: Segment[],
  ): HeredocNode[] {
    const recovered = new Set<HeredocMarker>();
    for (const error of errors) if (error.marker !== undefined) recovered.add(error.marker);
    const ordered = [...markers, ...recovered].sort((left, right) => left.start - right.start);
    const nodes: HeredocNode[] = [];
    for (const marker of ordered) {
      if (recovered.has(marker) && !this.hasTerminator(marker)) continue;
      nodes.push(this.readHeredoc(marker, segments));
    }
    return nodes;
  }

  /** True when a line from the current one on ends the heredoc of `marker`. */
  private hasTerminator(marker: HeredocMarker): boolean {
    for (let line = this.line; line < this.lines.starts.length; line++) {
      if (this.isTerminator(line, marker)) return true;
    }
    return false;
  }

  private isTerminator(line: number, marker: HeredocMarker): boolean {
    const start = this.lines.starts[line] as number;
    const candidate = this.source.slice(start, this.lines.contentEnds[line]);
    return (marker.chomp ? candidate.replace(/^\t+/, '') : candidate) === marker.name;
  }

  private readHeredoc(marker: HeredocMarker, segments: Segment[]): HeredocNode {
    const markerRange = mapRange(segments, marker.start, marker.end);
    const bodyStart = this.lineStartOrEnd(this.line);
    const startPosition = this.positionAt(this.line, bodyStart);
    const body = this.readBody(marker, bodyStart);
    if (!body.terminated) {
      this.error(
        'unterminated-heredoc',
        `unterminated heredoc ${marker.name} opened at line ${markerRange.start.line + 1}: add a line that is exactly ${marker.name}`,
        markerRange,
      );
    }
    return {
      kind: 'heredoc',
      name: marker.name,
      fileDescriptor: marker.fileDescriptor,
      chomp: marker.chomp,
      expand: marker.expand,
      content: this.source.slice(bodyStart, body.contentEnd),
      marker: markerRange,
      terminated: body.terminated,
      range: { start: startPosition, end: this.positionAt(body.endLine, body.end) },
      text: this.source.slice(bodyStart, body.end),
    };
  }

  /**
   * Consumes body lines up to and including the terminator line. `contentEnd`
   * is the end of the content with its last line ending, and `end` the end of
   * the text of the last line read.
   */
  private readBody(marker: HeredocMarker, bodyStart: number): HeredocBody {
    const count = this.lines.starts.length;
    const body = { terminated: false, contentEnd: bodyStart, end: bodyStart, endLine: this.line };
    while (this.line < count) {
      const line = this.line++;
      body.endLine = line;
      body.end = this.lines.contentEnds[line] as number;
      if (this.isTerminator(line, marker)) {
        body.terminated = true;
        break;
      }
      body.contentEnd = this.lines.ends[line] as number;
    }
    return body;
  }

  /** Start offset of a line, or the end of the source after the last line. */
  private lineStartOrEnd(line: number): number {
    return this.lines.starts[line] ?? this.source.length;
  }

  /**
   * Position of an offset on a line. Past the last line the offset is the end
   * of the source, which lies on a line of its own after a final line feed.
   */
  private positionAt(line: number, offset: number): Position {
    const start = this.lines.starts[line];
    if (start === undefined) return endOfSource(this.source, this.lines);
    return positionOnLine(line, start, offset);
  }

  private error(rule: string, message: string, range: Range): void {
    this.diagnostics.push(createDiagnostic('error', rule, message, range));
  }
}

/** True when `text.trim()` would be empty, without making the trimmed copy. */
function isBlankText(text: string): boolean {
  const first = text.charCodeAt(0);
  // A printable ASCII character is no white space, so most texts need no regular expression.
  if (first > 32 && first < 127) return false;
  return !NOT_SPACE.test(text);
}

const NOT_SPACE = /\S/;

function skipSpaceUntil(text: string, from: number, end: number): number {
  let index = from;
  while (index < end && isSpaceCode(text.charCodeAt(index))) index++;
  return index;
}
