/** Stable codes of {@link ExpansionError}, one for each way a word can fail to expand. */
export type ExpansionErrorCode =
  | 'unterminated-quote'
  | 'unterminated-substitution'
  | 'bad-substitution'
  | 'unsupported-modifier'
  | 'invalid-pattern'
  | 'required-variable'
  | 'nesting-too-deep';

/** Details that locate an {@link ExpansionError} in its word. */
export interface ExpansionErrorDetails {
  /** The word as written, before expansion. */
  readonly word: string;
  /** Offset in the word, in UTF-16 code units, where the failing construct starts. */
  readonly offset: number;
  /** The variable involved, for `required-variable` and substitution errors. */
  readonly variable?: string;
  /** The error that made the substitution fail, when another error caused this one. */
  readonly cause?: unknown;
}

/**
 * Raised when a word cannot be expanded: an unclosed quote or `${`, a malformed
 * substitution, an invalid pattern, or a `${NAME?message}` whose variable is unset.
 *
 * @example
 * ```ts
 * try {
 *   expandWord('${TAG:?set TAG}', { env: {} });
 * } catch (error) {
 *   if (error instanceof ExpansionError && error.code === 'required-variable') {
 *     console.log(error.variable, error.offset); // TAG 0
 *   }
 * }
 * ```
 */
export class ExpansionError extends Error {
  override readonly name = 'ExpansionError';
  /** Rule the word broke. */
  readonly code: ExpansionErrorCode;
  /** The word as written. */
  readonly word: string;
  /** Offset in the word, in UTF-16 code units, where the failing construct starts. */
  readonly offset: number;
  /** The variable involved, when there is one. */
  readonly variable: string | undefined;

  constructor(code: ExpansionErrorCode, message: string, details: ExpansionErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.word = details.word;
    this.offset = details.offset;
    this.variable = details.variable;
  }
}

/** Quotes a value for a message, cut to 80 characters. @internal */
export function quote(value: string): string {
  const cut = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  return JSON.stringify(cut);
}
