import { type Environment, lookUp, type VariableReference } from './environment.js';
import { ExpansionError, quote } from './errors.js';
import { CodePointScanner, EOF } from './scanner.js';
import { expandSubstitution } from './substitution.js';
import { WordSplitter } from './word-splitter.js';

const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;
const DOLLAR = 0x24;

/** ASCII characters that never split a word, start a quote or start a substitution. */
const PLAIN_ASCII: readonly boolean[] = Array.from(
  { length: 0x80 },
  (_, code) => code > 0x20 && code !== 0x7f && !'$\'"'.includes(String.fromCharCode(code)),
);

/** The text of a part of a word after expansion, and the words it splits into. @internal */
export interface ExpandedText {
  readonly text: string;
  readonly words: string[];
}

/**
 * The state of one expansion: the scanner over the word, the variables, the escape
 * character, and the variables looked up so far. It follows the order of Docker's shell
 * lexer (BuildKit, frontend/dockerfile/shell) step by step, because that order decides
 * which error wins and which variables count as referenced.
 *
 * @internal
 */
export class ShellWord {
  readonly scanner: CodePointScanner;
  readonly escape: number;
  private readonly environment: Environment;
  private readonly references = new Map<string, boolean>();
  /** How many `${...}` enclose the scanner's position. */
  nesting = 0;

  constructor(word: string, environment: Environment, escapeCharacter: string) {
    this.scanner = new CodePointScanner(word);
    this.environment = environment;
    this.escape = escapeCharacter.codePointAt(0) ?? 0x5c;
  }

  get word(): string {
    return this.scanner.text;
  }

  /** Returns the variables looked up so far, each once, in the order of first lookup. */
  referencedVariables(): VariableReference[] {
    return Array.from(this.references, ([name, set]) => ({ name, set }));
  }

  /** Looks a variable up and records the reference. */
  lookUp(name: string): string | undefined {
    const value = lookUp(this.environment, name);
    if (name !== '' && !this.references.has(name)) {
      this.references.set(name, value !== undefined);
    }
    return value;
  }

  /**
   * Expands until `stop` (consumed) or the end of the word. With `rawEscapes`, escape
   * characters are kept in the text, as patterns need them.
   */
  expandUntil(stop: number, rawEscapes: boolean): ExpandedText {
    const scanner = this.scanner;
    const splitter = new WordSplitter();
    let text = '';
    while (!scanner.atEnd()) {
      const codePoint = scanner.peek();
      if (stop !== EOF && codePoint === stop) {
        scanner.next();
        return { text, words: splitter.finish() };
      }
      if (codePoint === DOLLAR) {
        const value = expandSubstitution(this);
        text += value;
        splitter.addText(value);
      } else if (codePoint === SINGLE_QUOTE || codePoint === DOUBLE_QUOTE) {
        const value =
          codePoint === SINGLE_QUOTE ? this.singleQuoted() : this.doubleQuoted(rawEscapes);
        text += value;
        splitter.addRawText(value);
      } else {
        const run = this.plainRun(stop);
        if (run === '') {
          text += this.plainCharacter(splitter, rawEscapes);
        } else {
          text += run;
          splitter.addRawText(run);
        }
      }
    }
    if (stop !== EOF) {
      throw new ExpansionError(
        'unterminated-substitution',
        `Cannot expand ${quote(this.word)}: the word ends before the closing "${String.fromCodePoint(stop)}".`,
        { word: this.word, offset: scanner.offset },
      );
    }
    return { text, words: splitter.finish() };
  }

  /**
   * Consumes and returns the longest run of ASCII characters that need no handling one
   * at a time: no white space, quote, `$`, escape character or `stop`. Copying such runs
   * whole is several times faster than going character by character.
   */
  private plainRun(stop: number): string {
    const text = this.scanner.text;
    const start = this.scanner.offset;
    let end = start;
    while (end < text.length) {
      const code = text.charCodeAt(end);
      if (code >= 0x80 || !PLAIN_ASCII[code] || code === stop || code === this.escape) {
        break;
      }
      end++;
    }
    this.scanner.offset = end;
    return text.slice(start, end);
  }

  private plainCharacter(splitter: WordSplitter, rawEscapes: boolean): string {
    const scanner = this.scanner;
    const codePoint = scanner.next();
    if (codePoint !== this.escape) {
      splitter.addCharacter(codePoint);
      return String.fromCodePoint(codePoint);
    }
    let text = '';
    if (rawEscapes) {
      splitter.addRawCharacter(codePoint);
      text = String.fromCodePoint(codePoint);
    }
    // An escape character at the very end of the word escapes nothing and is dropped.
    const escaped = scanner.next();
    if (escaped === EOF) {
      return text;
    }
    splitter.addRawCharacter(escaped);
    return text + String.fromCodePoint(escaped);
  }

  /** Reads `'...'`: every character is literal, and a single quote cannot be escaped. */
  private singleQuoted(): string {
    const scanner = this.scanner;
    const start = scanner.offset;
    scanner.next();
    const end = scanner.text.indexOf("'", scanner.offset);
    if (end === -1) {
      throw unterminatedQuote(this.word, start, 'single');
    }
    const text = scanner.text.slice(scanner.offset, end);
    scanner.offset = end + 1;
    return text;
  }

  /**
   * Reads `"..."`: variables expand, and the escape character escapes only `"`, `$`
   * and itself; before anything else it stays as written.
   */
  private doubleQuoted(rawEscapes: boolean): string {
    const scanner = this.scanner;
    const start = scanner.offset;
    scanner.next();
    let text = '';
    for (;;) {
      const codePoint = scanner.peek();
      if (codePoint === EOF) {
        throw unterminatedQuote(this.word, start, 'double');
      }
      if (codePoint === DOUBLE_QUOTE) {
        scanner.next();
        return text;
      }
      if (codePoint === DOLLAR) {
        text += expandSubstitution(this);
        continue;
      }
      text += this.doubleQuotedCharacter(rawEscapes);
    }
  }

  private doubleQuotedCharacter(rawEscapes: boolean): string {
    const scanner = this.scanner;
    const codePoint = scanner.next();
    if (codePoint !== this.escape) {
      return String.fromCodePoint(codePoint);
    }
    const prefix = rawEscapes ? String.fromCodePoint(codePoint) : '';
    const following = scanner.peek();
    if (following === EOF) {
      return prefix;
    }
    if (following === DOUBLE_QUOTE || following === DOLLAR || following === this.escape) {
      return prefix + String.fromCodePoint(scanner.next());
    }
    return prefix + String.fromCodePoint(codePoint);
  }
}

function unterminatedQuote(
  word: string,
  offset: number,
  kind: 'single' | 'double',
): ExpansionError {
  const mark = kind === 'single' ? "'" : '"';
  return new ExpansionError(
    'unterminated-quote',
    `Cannot expand ${quote(word)}: the ${kind} quote at offset ${offset} is never closed. ` +
      `Add the closing ${mark}, as in ${mark}text${mark}, or escape the quote to keep it literal.`,
    { word, offset },
  );
}
