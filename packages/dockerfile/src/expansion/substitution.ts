import { isDigit, isNameCharacter, isSpecialParameter } from './characters.js';
import { ExpansionError } from './errors.js';
import { trimPrefix, trimSuffix } from './pattern.js';
import { replaceAll, replaceFirst } from './replace.js';
import { type CodePointScanner, EOF } from './scanner.js';
import type { ShellWord } from './shell-word.js';
import {
  invalidPattern,
  missingBrace,
  requiredVariable,
  substitutionError,
  unsupportedModifier,
} from './substitution-errors.js';

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const COLON = 0x3a;
const SLASH = 0x2f;

/**
 * Deepest nesting of `${...}` inside one another. Each level recurses, and JavaScript's
 * call stack is far smaller than Go's, so without a limit a deep word would overflow it.
 * NOTE: BuildKit has no such limit; 500 levels leave room for callers deep in a parser.
 */
const MAX_NESTING = 500;

/**
 * Expands the `$` at the scanner's position: `$NAME`, `${NAME}` or `${NAME<op>word}`.
 * A `$` that starts no name is kept as a literal `$`.
 *
 * @internal
 */
export function expandSubstitution(shell: ShellWord): string {
  const scanner = shell.scanner;
  const start = scanner.offset;
  scanner.next();
  if (scanner.peek() !== OPEN_BRACE) {
    const name = readName(scanner);
    return name === '' ? '$' : (shell.lookUp(name) ?? '');
  }
  scanner.next();
  const first = scanner.peek();
  if (first === EOF) {
    throw missingBrace(shell, start);
  }
  if (first === OPEN_BRACE || first === CLOSE_BRACE || first === COLON) {
    throw substitutionError(shell, start, 'bad-substitution', 'has no variable name');
  }
  shell.nesting++;
  try {
    if (shell.nesting > MAX_NESTING) {
      throw substitutionError(
        shell,
        start,
        'nesting-too-deep',
        `is nested more than ${MAX_NESTING} levels deep`,
        { hint: 'Build the value in steps, with intermediate ARG or ENV variables.' },
      );
    }
    return expandBraced(shell, start, readName(scanner));
  } finally {
    shell.nesting--;
  }
}

function expandBraced(shell: ShellWord, start: number, name: string): string {
  const operator = shell.scanner.next();
  if (operator === CLOSE_BRACE) {
    return shell.lookUp(name) ?? '';
  }
  if (operator === SLASH) {
    return expandReplacement(shell, start, name);
  }
  if (operator === COLON) {
    return expandModifier(shell, start, name, shell.scanner.next(), true);
  }
  if (isModifier(operator)) {
    return expandModifier(shell, start, name, operator, false);
  }
  if (operator === EOF) {
    throw missingBrace(shell, start);
  }
  if (name === '') {
    throw substitutionError(shell, start, 'bad-substitution', 'has no variable name');
  }
  throw unsupportedModifier(shell, start, name, String.fromCodePoint(operator));
}

function isModifier(codePoint: number): boolean {
  return codePoint >= 0 && '+-?#%'.includes(String.fromCodePoint(codePoint));
}

/**
 * Expands `${NAME-word}`, `${NAME+word}`, `${NAME?word}`, `${NAME#word}` and
 * `${NAME%word}`, and their forms with a colon, which also treat an empty value as
 * unset. The word is expanded before the variable is read, as BuildKit does.
 */
function expandModifier(
  shell: ShellWord,
  start: number,
  name: string,
  modifier: number,
  colon: boolean,
): string {
  const symbol = modifier === EOF ? '' : String.fromCodePoint(modifier);
  const isPattern = symbol === '#' || symbol === '%';
  if (colon && isPattern) {
    throw unsupportedModifier(shell, start, name, `:${symbol}`);
  }
  const word = expandNested(shell, start, CLOSE_BRACE, isPattern);
  const value = shell.lookUp(name);
  const unset = value === undefined || (colon && value === '');
  switch (symbol) {
    case '-':
      return unset ? word : (value as string);
    case '+':
      return unset ? '' : word;
    case '?':
      if (unset) {
        throw requiredVariable(shell, start, name, word, value === undefined);
      }
      return value as string;
    case '#':
    case '%':
      return trimPattern(shell, start, symbol, word, value ?? '');
    default:
      throw unsupportedModifier(shell, start, name, colon ? `:${symbol}` : symbol);
  }
}

function trimPattern(
  shell: ShellWord,
  start: number,
  symbol: string,
  word: string,
  value: string,
): string {
  // A doubled `##` or `%%` selects the longest match instead of the shortest.
  const greedy = word.startsWith(symbol);
  const pattern = greedy ? word.slice(symbol.length) : word;
  try {
    return symbol === '%' ? trimSuffix(pattern, value, greedy) : trimPrefix(pattern, value, greedy);
  } catch (error) {
    throw invalidPattern(shell, start, pattern, error);
  }
}

/** Expands `${NAME/pattern/text}` and `${NAME//pattern/text}`. */
function expandReplacement(shell: ShellWord, start: number, name: string): string {
  const all = shell.scanner.peek() === SLASH;
  if (all) {
    shell.scanner.next();
  }
  const pattern = expandNested(shell, start, SLASH, true);
  const replacement = expandNested(shell, start, CLOSE_BRACE, true);
  const value = shell.lookUp(name) ?? '';
  try {
    return all
      ? replaceAll(value, pattern, replacement)
      : replaceFirst(value, pattern, replacement);
  } catch (error) {
    throw invalidPattern(shell, start, pattern, error);
  }
}

/**
 * Expands the part of a substitution up to `stop`. Any failure that reaches the end of
 * the word is reported as the substitution missing its delimiter, as BuildKit does.
 */
function expandNested(shell: ShellWord, start: number, stop: number, rawEscapes: boolean): string {
  try {
    return shell.expandUntil(stop, rawEscapes).text;
  } catch (error) {
    if (!(error instanceof ExpansionError) || !shell.scanner.atEnd()) {
      throw error;
    }
    if (stop === SLASH) {
      throw substitutionError(
        shell,
        start,
        'unterminated-substitution',
        'is missing its second "/"',
        {
          cause: error,
          hint: `Write it as \${NAME/pattern/replacement}, with an empty replacement to delete.`,
        },
      );
    }
    throw missingBrace(shell, start, error);
  }
}

/**
 * Reads a variable name: letters, digits and `_` not starting with a digit, a run of
 * digits (a positional parameter), or one special parameter character.
 *
 * @internal
 */
export function readName(scanner: CodePointScanner): string {
  const first = scanner.peek();
  if (isDigit(first)) {
    const start = scanner.offset;
    while (isDigit(scanner.peek())) {
      scanner.next();
    }
    return scanner.text.slice(start, scanner.offset);
  }
  if (isSpecialParameter(first)) {
    scanner.next();
    return String.fromCodePoint(first);
  }
  const start = scanner.offset;
  while (isNameCharacter(scanner.peek())) {
    scanner.next();
  }
  return scanner.text.slice(start, scanner.offset);
}
