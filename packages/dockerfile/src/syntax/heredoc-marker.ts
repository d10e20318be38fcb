/**
 * Finds here-document markers (`<<EOF`, `<<-EOF`, `3<<"EOF"`, `<< EOF`) in the
 * joined text of a RUN, COPY or ADD instruction.
 */
import { isSpaceCode } from './continuation.js';

/**
 * A heredoc marker found in an instruction's joined text.
 * @internal
 */
export interface HeredocMarker {
  readonly name: string;
  readonly fileDescriptor: number;
  readonly chomp: boolean;
  readonly expand: boolean;
  /** Offsets of the marker in the joined text. */
  readonly start: number;
  readonly end: number;
}

/** A problem with a marker, such as an unterminated quote in the delimiter. */
export interface HeredocMarkerError {
  readonly message: string;
  readonly start: number;
  readonly end: number;
  /**
   * The marker read as if its quote closed at the delimiter's first blank, so
   * that the scanner can read the intended body. Undefined when that gives no name.
   */
  readonly marker: HeredocMarker | undefined;
}

interface RawWord {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const MARKER_PATTERN = /^(\d*)<<(-?)([^<]*)$/;

/**
 * Returns the heredoc markers of a joined instruction line in order.
 * Words are split as a shell does, with quotes kept, so `"<<EOF"` is no marker.
 */
export function findHeredocMarkers(line: string, errors: HeredocMarkerError[]): HeredocMarker[] {
  if (!line.includes('<<')) return [];
  const words = splitRawWords(line);
  const markers: HeredocMarker[] = [];
  for (let index = 0; index < words.length; index++) {
    const word = words[index] as RawWord;
    const match = MARKER_PATTERN.exec(word.text);
    if (match === null) continue;
    let delimiter: RawWord = {
      text: match[3] as string,
      start: word.end - (match[3] as string).length,
      end: word.end,
    };
    const next = words[index + 1];
    if (delimiter.text === '' && next !== undefined) {
      // A blank between `<<` and the delimiter is accepted since BuildKit 0.22.
      delimiter = next;
      index++;
    }
    if (delimiter.text === '') continue;
    const marker = toMarker(match, delimiter, word.start, errors);
    if (marker !== undefined) markers.push(marker);
  }
  return markers;
}

function toMarker(
  match: RegExpExecArray,
  delimiter: RawWord,
  start: number,
  errors: HeredocMarkerError[],
): HeredocMarker | undefined {
  const name = unquote(delimiter.text);
  if (name === undefined) {
    errors.push(invalidMarker(match, delimiter, start));
    return undefined;
  }
  return markerOf(match, delimiter.text, name, start, delimiter.end);
}

function markerOf(
  match: RegExpExecArray,
  delimiter: string,
  name: string,
  start: number,
  end: number,
): HeredocMarker {
  const quoted = countQuotes(name) !== countQuotes(delimiter);
  return {
    name,
    fileDescriptor: match[1] === '' ? 0 : Number(match[1]),
    chomp: match[2] === '-',
    expand: !quoted,
    start,
    end,
  };
}

/**
 * Describes a delimiter with an unterminated quote. The quote then runs to the
 * end of the line, so `<<"EOF > /x` has the raw word `"EOF > /x`. The intended
 * delimiter is taken to be its first blank-separated part, with the quote closed.
 */
function invalidMarker(
  match: RegExpExecArray,
  delimiter: RawWord,
  start: number,
): HeredocMarkerError {
  const head = delimiter.text.split(/\s/, 1)[0] as string;
  const end = delimiter.start + head.length;
  const closed = closeQuote(head);
  const fix = closed === undefined ? 'close the quote' : `write it as ${closed}`;
  const name = closed === undefined ? stripQuotes(head) : (unquote(closed) as string);
  return {
    message: `invalid heredoc delimiter ${head}, whose quote is not closed: ${fix}`,
    start,
    end,
    marker: name === '' ? undefined : markerOf(match, closed ?? head, name, start, end),
  };
}

/** Appends the quote that `word` leaves open, or returns undefined when that does not close it. */
function closeQuote(word: string): string | undefined {
  for (const quote of ['"', "'"]) {
    if (unquote(word + quote) !== undefined) return word + quote;
  }
  return undefined;
}

function stripQuotes(word: string): string {
  return word.replace(/["'\\]/g, '');
}

function countQuotes(text: string): number {
  let count = 0;
  for (const character of text) if (character === "'" || character === '"') count++;
  return count;
}

/** Removes shell quotes and backslash escapes; undefined on an unterminated quote. */
function unquote(word: string): string | undefined {
  let result = '';
  let quote = '';
  for (let index = 0; index < word.length; index++) {
    const character = word[index] as string;
    if (quote === "'") {
      if (character === "'") quote = '';
      else result += character;
    } else if (character === '\\' && index + 1 < word.length && quote === '') {
      result += word[++index];
    } else if (character === '\\' && quote === '"' && index + 1 < word.length) {
      result += word[++index];
    } else if (character === quote) {
      quote = '';
    } else if (quote === '' && (character === "'" || character === '"')) {
      quote = character;
    } else {
      result += character;
    }
  }
  return quote === '' ? result : undefined;
}

/** Splits on white space outside quotes, keeping quotes and escapes in the words. */
function splitRawWords(line: string): RawWord[] {
  const words: RawWord[] = [];
  let start = -1;
  let quote = 0;
  for (let index = 0; index <= line.length; index++) {
    const code = index < line.length ? line.charCodeAt(index) : 32;
    if (quote !== 0) {
      if (code === 92 && quote === 34) index++;
      else if (code === quote) quote = 0;
      continue;
    }
    if (isSpaceCode(code)) {
      if (start !== -1) words.push({ text: line.slice(start, index), start, end: index });
      start = -1;
      continue;
    }
    if (start === -1) start = index;
    if (code === 92) index++;
    else if (code === 34 || code === 39) quote = code;
  }
  if (start !== -1) words.push({ text: line.slice(start), start, end: line.length });
  return words;
}
