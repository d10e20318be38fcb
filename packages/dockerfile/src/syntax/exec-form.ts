/**
 * Reading the tokens of an exec-form JSON array into its string elements.
 * The usual shape (`[`, strings separated by commas, `]`) is read here in one
 * pass over the tokens. Any other shape goes through the grammar's `execForm`
 * rule, which gives the same result for the usual shape but costs more.
 */
import type { IToken } from 'chevrotain';
import { Comma, JsonString, RSquare } from './tokens.js';

/** One element of an exec-form array with its offsets in the instruction text. */
export interface ExecElement {
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Result of reading text as an exec form: a JSON array of strings, not a
 * JSON array (shell form), or a JSON array with a non-string element.
 */
export type ExecResult =
  | { readonly kind: 'exec'; readonly elements: ExecElement[] }
  | { readonly kind: 'shell' }
  | { readonly kind: 'non-string'; readonly start: number; readonly end: number };

const SHELL: ExecResult = Object.freeze({ kind: 'shell' });

/**
 * Reads tokens from the opening `[` on when they form an array of strings
 * only, the usual way to write an exec form. Returns undefined for
 * any other shape, which the grammar must then decide. A string that is not
 * valid JSON makes the text shell form, as BuildKit's JSON decoder rejects the
 * whole array for it before it looks at the element types.
 */
export function readStringArray(tokens: readonly IToken[], shift: number): ExecResult | undefined {
  const elements: ExecElement[] = [];
  let index = 1;
  if (tokens[index]?.tokenType === RSquare) return { kind: 'exec', elements };
  for (;;) {
    const token = tokens[index];
    if (token === undefined || token.tokenType !== JsonString) return undefined;
    // The shape is checked before the string is decoded, so an unterminated
    // string at the end of a long line goes to the grammar, which rejects it
    // without JSON.parse reading the whole line.
    const next = tokens[index + 1]?.tokenType;
    if (next !== RSquare && next !== Comma) return undefined;
    const value = decodeString(token.image);
    if (value === undefined) return SHELL;
    const start = token.startOffset + shift;
    elements.push({ value, start, end: start + token.image.length });
    if (next === RSquare) return { kind: 'exec', elements };
    index += 2;
  }
}

/**
 * True when every string token of the array (up to `arrayEnd`) is valid JSON.
 * Go's decoder reads the whole array first, so any invalid string anywhere in it
 * makes the text shell form, before a non-string element could be an error.
 */
export function stringsDecode(tokens: readonly IToken[], arrayEnd: number): boolean {
  for (const token of tokens) {
    if (token.startOffset > arrayEnd) break;
    if (token.tokenType === JsonString && decodeString(token.image) === undefined) return false;
  }
  return true;
}

/**
 * Decodes a JSON string literal; undefined when it is not valid JSON. A
 * literal without escapes or control characters is its own content, so only
 * the others go through `JSON.parse`.
 */
export function decodeString(literal: string): string | undefined {
  const last = literal.length - 1;
  if (last >= 1 && literal.charCodeAt(last) === 34 && isPlain(literal, last)) {
    return literal.slice(1, last);
  }
  try {
    return JSON.parse(literal) as string;
  } catch {
    return undefined;
  }
}

/** True when `literal[1, end)` has no backslash and no control character. */
function isPlain(literal: string, end: number): boolean {
  for (let index = 1; index < end; index++) {
    const code = literal.charCodeAt(index);
    if (code === 92 || code < 32) return false;
  }
  return true;
}
