/**
 * Word splitting of argument text as BuildKit's parser does it before any
 * variable expansion: plain white-space splitting for word lists, and
 * quote-aware splitting (quotes and escapes kept) for ARG, ENV and LABEL.
 */
import { isSpaceCode } from './continuation.js';

/** A word and its offsets in the text it came from. */
export interface WordSpan {
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

/** Splits `text[from, to)` on runs of space, tab, CR, VT and FF, as BuildKit's word lists do. */
export function splitOnWhitespace(text: string, from: number, to: number): WordSpan[] {
  const words: WordSpan[] = [];
  let start = -1;
  for (let index = from; index <= to; index++) {
    const code = index < to ? text.charCodeAt(index) : 32;
    const blank = code === 32 || code === 9 || code === 13 || code === 11 || code === 12;
    if (!blank && start === -1) start = index;
    if (blank && start !== -1) {
      words.push({ value: text.slice(start, index), start, end: index });
      start = -1;
    }
  }
  return words;
}

/**
 * Splits `text[from, to)` into words on white space outside quotes. Quotes and
 * escapes stay in the words; an escape character at the very end is dropped.
 * A quoted empty word (`""`) is kept.
 */
export function splitQuotedWords(
  text: string,
  from: number,
  to: number,
  escapeCharacter: string,
): WordSpan[] {
  const words: WordSpan[] = [];
  const escapeCode = escapeCharacter.charCodeAt(0);
  let start = -1;
  let quote = 0;
  let index = from;
  for (; index < to; index++) {
    const code = text.charCodeAt(index);
    if (quote !== 0) {
      if (code === quote) quote = 0;
      else if (code === escapeCode && quote !== 39) index++;
      continue;
    }
    if (isSpaceCode(code)) {
      if (start !== -1) words.push(word(text, start, index, escapeCharacter));
      start = -1;
      continue;
    }
    if (start === -1) start = index;
    if (code === 39 || code === 34) quote = code;
    else if (code === escapeCode) index++;
  }
  if (start !== -1) words.push(word(text, start, Math.min(index, to), escapeCharacter));
  return words;
}

function word(text: string, start: number, end: number, escapeCharacter: string): WordSpan {
  let value = text.slice(start, end);
  if (isLoneTrailingEscape(value, escapeCharacter)) value = value.slice(0, -1);
  return { value, start, end };
}

/** True when the last character is an escape that escapes nothing. */
function isLoneTrailingEscape(value: string, escapeCharacter: string): boolean {
  let count = 0;
  for (let index = value.length - 1; index >= 0 && value[index] === escapeCharacter; index--) {
    count++;
  }
  return count % 2 === 1;
}

/** Removes leading and trailing white space as Go's strings.TrimSpace does; returns offsets. */
export function trimSpan(text: string, from: number, to: number): [number, number] {
  const start = trimStart(text, from, to);
  return [start, trimEnd(text, start, to)];
}

/** Offset of the first character of `text[from, to)` that is not white space, or `to`. */
export function trimStart(text: string, from: number, to: number): number {
  let start = from;
  while (start < to && isSpaceCode(text.charCodeAt(start))) start++;
  return start;
}

/** Offset after the last character of `text[from, to)` that is not white space, or `from`. */
export function trimEnd(text: string, from: number, to: number): number {
  let end = to;
  while (end > from && isSpaceCode(text.charCodeAt(end - 1))) end--;
  return end;
}
