import type { Environment, VariableReference } from './environment.js';
import { EOF } from './scanner.js';
import { ShellWord } from './shell-word.js';

/** The escape character set by the `# escape=` directive. */
export type EscapeCharacter = '\\' | '`';

/** Options of {@link expandWord} and {@link expandWords}. */
export interface ExpansionOptions {
  /** Variables in scope (build arguments and environment). */
  readonly env: Environment;
  /** The escape character of the Dockerfile; a backslash unless the escape directive changes it. */
  readonly escape?: EscapeCharacter;
}

/** Result of {@link expandWord}. */
export interface WordExpansion {
  /** The word after quote removal, escapes and substitution. */
  readonly value: string;
  /** The variables the expansion looked up, each once, in the order of first lookup. */
  readonly references: readonly VariableReference[];
}

/** Result of {@link expandWords}. */
export interface WordsExpansion {
  /** The words after expansion and splitting. */
  readonly words: readonly string[];
  /** The variables the expansion looked up, each once, in the order of first lookup. */
  readonly references: readonly VariableReference[];
}

/**
 * Expands a word to a single string: quotes are removed, escapes applied, and `$NAME`
 * and `${NAME...}` substituted. White space is kept. Docker expands this way the values
 * of ENV, LABEL, WORKDIR, USER, STOPSIGNAL, FROM and ARG, and each word of COPY, ADD
 * and VOLUME after its parser has split them on white space.
 *
 * @throws {ExpansionError} when the word has an unclosed quote or `${`, a malformed
 * substitution, an invalid pattern, or a `${NAME?message}` whose variable is unset.
 *
 * @example
 * ```ts
 * expandWord('${IMAGE%:*}:stable', { env: { IMAGE: 'busybox:1.36' } }).value;
 * // 'busybox:stable'
 * ```
 */
export function expandWord(word: string, options: ExpansionOptions): WordExpansion {
  const shell = new ShellWord(word, options.env, options.escape ?? '\\');
  const { text } = shell.expandUntil(EOF, false);
  return { value: text, references: shell.referencedVariables() };
}

/**
 * Expands a word and splits it into words as Docker's `ProcessWords` does. Docker uses
 * it only for each word of EXPOSE, so `EXPOSE $P` with `P="80 81"` exposes two ports.
 * White space in the word or in a variable's value splits, but white space inside
 * quotes or after the escape character does not. Docker keeps only words that have at
 * least one character, so `""` alone yields no word.
 *
 * @throws {ExpansionError} on the same inputs as {@link expandWord}.
 *
 * @example
 * ```ts
 * expandWords('$PORTS "8080"', { env: { PORTS: '80 443/udp' } }).words;
 * // ['80', '443/udp', '8080']
 * ```
 */
export function expandWords(word: string, options: ExpansionOptions): WordsExpansion {
  const shell = new ShellWord(word, options.env, options.escape ?? '\\');
  const { words } = shell.expandUntil(EOF, false);
  return { words, references: shell.referencedVariables() };
}
