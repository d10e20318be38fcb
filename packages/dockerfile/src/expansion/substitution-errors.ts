// Errors raised while expanding `${...}`, each naming the word, the offset of the
// substitution and the way to fix it.
import { ExpansionError, type ExpansionErrorCode, quote } from './errors.js';
import { PatternSyntaxError } from './pattern.js';
import type { ShellWord } from './shell-word.js';

/** Optional parts of a substitution error. @internal */
export interface ErrorExtras {
  readonly cause?: unknown;
  readonly hint?: string;
  readonly variable?: string;
}

export function substitutionError(
  shell: ShellWord,
  start: number,
  code: ExpansionErrorCode,
  problem: string,
  extras: ErrorExtras = {},
): ExpansionError {
  const hint = extras.hint ?? `Write it as \${NAME}, \${NAME:-default} or $NAME.`;
  const message = `Cannot expand ${quote(shell.word)}: the substitution at offset ${start} ${problem}. ${hint}`;
  return new ExpansionError(code, message, {
    word: shell.word,
    offset: start,
    variable: extras.variable,
    cause: extras.cause,
  });
}

export function missingBrace(shell: ShellWord, start: number, cause?: unknown): ExpansionError {
  return substitutionError(
    shell,
    start,
    'unterminated-substitution',
    'is missing its closing "}"',
    {
      cause,
      hint: `Close it, as in \${NAME}, or escape the "$" to keep it literal.`,
    },
  );
}

export function unsupportedModifier(
  shell: ShellWord,
  start: number,
  name: string,
  modifier: string,
): ExpansionError {
  return substitutionError(
    shell,
    start,
    'unsupported-modifier',
    `uses the unsupported modifier "${modifier}" on ${name}`,
    {
      variable: name,
      hint: `Use one of :- - :+ + :? ? # ## % %% / //, as in \${NAME:-default}.`,
    },
  );
}

export function invalidPattern(
  shell: ShellWord,
  start: number,
  pattern: string,
  cause: unknown,
): ExpansionError {
  const reason = cause instanceof PatternSyntaxError ? cause.message : String(cause);
  return substitutionError(
    shell,
    start,
    'invalid-pattern',
    `has the invalid pattern ${quote(pattern)} (${reason})`,
    {
      cause,
      hint: 'Patterns take * for any text, ? for one character, and \\ before a literal * or ?.',
    },
  );
}

export function requiredVariable(
  shell: ShellWord,
  start: number,
  name: string,
  message: string,
  unset: boolean,
): ExpansionError {
  const state = unset ? 'is not allowed to be unset' : 'is not allowed to be empty';
  const text = `Cannot expand ${quote(shell.word)}: ${name}: ${message === '' ? state : message}. Set ${name} with ARG or ENV, or pass --build-arg ${name}=value.`;
  return new ExpansionError('required-variable', text, {
    word: shell.word,
    offset: start,
    variable: name,
  });
}
