/**
 * A fast path in front of the chevrotain grammar for the common shape of a
 * logical line: a keyword, flags, and shell-form text or a JSON array of
 * strings. It builds the same instruction CST as the lexer and grammar would, so
 * the tree builder cannot tell the two apart. Any other line gets `undefined`
 * and goes to the grammar.
 */
import type { IToken, TokenType } from 'chevrotain';
import { isInlineSpace } from './continuation.js';
import type { InstructionCstChildren, InstructionCstNode } from './cst-types.js';
import {
  BodyBracket,
  Comma,
  FLAG_PATTERN,
  Flag,
  FlagsEnd,
  JsonString,
  Name,
  RSquare,
  Text,
} from './tokens.js';

const FLAG_AT = new RegExp(FLAG_PATTERN.source, 'y');
const STRING_AT = new RegExp(JsonString.PATTERN as RegExp, 'y');

/**
 * Reads a logical line (no `\n`) into an instruction CST. Returns undefined
 * when the line has no first word or a non-ASCII one, or when its argument
 * text starts with `[` but is not a JSON array of strings (one left open at
 * the end of the line counts). `keywords` maps
 * upper-case instruction names to their keyword tokens.
 */
export function readSimpleLine(
  text: string,
  keywords: ReadonlyMap<string, TokenType>,
): InstructionCstNode | undefined {
  const wordStart = skipInlineSpace(text, 0);
  const wordEnd = endOfWord(text, wordStart);
  if (wordEnd <= wordStart) return undefined;
  const word = text.slice(wordStart, wordEnd);
  // Keywords are mostly written in upper case, which needs no new string.
  const keyword = keywords.get(word) ?? keywords.get(word.toUpperCase());
  const children: InstructionCstChildren =
    keyword === undefined
      ? { Name: [token(word, wordStart, Name)] }
      : { Keyword: [token(word, wordStart, keyword)] };
  return readBody(text, wordEnd, children) ? cstNode(children) : undefined;
}

/**
 * Adds the Flag, FlagsEnd and Text tokens after the keyword, or the tokens of
 * a JSON array of strings. Returns false for any other text that starts with `[`.
 */
function readBody(text: string, from: number, children: InstructionCstChildren): boolean {
  let index = skipInlineSpace(text, from);
  while (index < text.length && text.startsWith('--', index)) {
    FLAG_AT.lastIndex = index;
    const image = (FLAG_AT.exec(text) as RegExpExecArray)[0];
    if (image === '--') addToken(children, 'FlagsEnd', token(image, index, FlagsEnd));
    else addToken(children, 'Flag', token(image, index, Flag));
    index = skipInlineSpace(text, index + image.length);
  }
  if (index === text.length) return true;
  if (text.charCodeAt(index) === 91) return readArrayTokens(text, index, children);
  children.Text = [token(text.slice(index), index, Text)];
  return true;
}

/**
 * Adds the BodyBracket and JsonToken tokens of `[` at `from` when the rest of
 * the line is a JSON array of strings. Returns false for any other shape.
 */
function readArrayTokens(text: string, from: number, children: InstructionCstChildren): boolean {
  const tokens = lexStringArray(text, from);
  if (tokens === undefined) return false;
  children.BodyBracket = tokens.slice(0, 1);
  // Chevrotain creates a key on its first token only, so `[` alone has no JsonToken.
  if (tokens.length > 1) children.JsonToken = tokens.slice(1);
  return true;
}

/**
 * Lexes the text from the `[` at `from` to its end as the lexer would: a
 * BodyBracket token, then the tokens of the `json` mode. The text must be a
 * JSON array of strings and white space, closed or left open at its end.
 * Returns undefined for any other shape, such as text after `]` or a number,
 * which the lexer and grammar read.
 */
export function lexStringArray(text: string, from: number): IToken[] | undefined {
  const tokens = [token('[', from, BodyBracket)];
  let index = skipInlineSpace(text, from + 1);
  let code = text.charCodeAt(index);
  while (code === 34) {
    STRING_AT.lastIndex = index;
    const image = (STRING_AT.exec(text) as RegExpExecArray)[0];
    tokens.push(token(image, index, JsonString));
    index = skipInlineSpace(text, index + image.length);
    code = text.charCodeAt(index);
    if (code !== 44) break;
    tokens.push(token(',', index, Comma));
    index = skipInlineSpace(text, index + 1);
    code = text.charCodeAt(index);
  }
  // An array left open at the line end, as in `CMD ["echo", "a`, lexes the same
  // way. The tree builder then reads it as shell form.
  if (index === text.length) return tokens;
  if (code !== 93 || skipInlineSpace(text, index + 1) !== text.length) return undefined;
  tokens.push(token(']', index, RSquare));
  return tokens;
}

/** Appends a token under `key`, creating the list as chevrotain does on the first one. */
function addToken(children: InstructionCstChildren, key: 'Flag' | 'FlagsEnd', added: IToken): void {
  const tokens = children[key];
  if (tokens === undefined) children[key] = [added];
  else tokens.push(added);
}

/**
 * End of the first word, or -1 when it has a character outside ASCII: the
 * keyword patterns match case-insensitively on ASCII letters only, while
 * `toUpperCase` would also map letters such as `ſ` to ASCII.
 */
function endOfWord(text: string, from: number): number {
  let index = from;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (isInlineSpace(code)) break;
    if (code > 127) return -1;
    index++;
  }
  return index;
}

function skipInlineSpace(text: string, from: number): number {
  let index = from;
  while (index < text.length && isInlineSpace(text.charCodeAt(index))) index++;
  return index;
}

function token(image: string, startOffset: number, tokenType: TokenType): IToken {
  // The fields of chevrotain's tokens under `positionTracking: 'onlyOffset'`.
  return { image, startOffset, tokenTypeIdx: tokenType.tokenTypeIdx as number, tokenType };
}

function cstNode(children: InstructionCstChildren): InstructionCstNode {
  return { name: 'instruction', children };
}
