/** Stable codes of {@link FlagError}. */
export type FlagErrorCode =
  | 'unknown-flag'
  | 'duplicate-flag'
  | 'missing-value'
  | 'invalid-value'
  | 'unknown-option'
  | 'invalid-option'
  | 'conflicting-options';

/** Context of a {@link FlagError}, beyond its code. */
export interface FlagErrorDetails {
  /** The flag's name without `--`, as written. */
  readonly flag: string;
  /** The value as written, when the flag had one. */
  readonly value?: string | undefined;
  /** The form the value should have, in words. */
  readonly expected?: string;
  /** A valid use of the flag. */
  readonly example?: string;
  /** The closest valid name, for an unknown flag, option or choice. */
  readonly suggestion?: string | undefined;
  /** The error that made the value invalid. */
  readonly cause?: unknown;
}

/**
 * A problem with one flag of an instruction: an unknown or repeated flag, a missing
 * value, or a value that does not have the expected form. Flag parsers return it as
 * data (see {@link FlagResult}); the syntax layer adds the source range.
 */
export class FlagError extends Error {
  override readonly name = 'FlagError';
  /** Rule the flag broke. */
  readonly code: FlagErrorCode;
  /** The flag's name without `--`. */
  readonly flag: string;
  /** The value as written, when the flag had one. */
  readonly value: string | undefined;
  /** The form the value should have, in words. */
  readonly expected: string | undefined;
  /** A valid use of the flag. */
  readonly example: string | undefined;
  /** The closest valid name, for an unknown flag, option or choice. */
  readonly suggestion: string | undefined;

  constructor(code: FlagErrorCode, message: string, details: FlagErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.flag = details.flag;
    this.value = details.value;
    this.expected = details.expected;
    this.example = details.example;
    this.suggestion = details.suggestion;
  }
}

/**
 * Outcome of parsing one flag: a typed value, a value that refers to variables and
 * must be parsed again once expanded, or an error.
 */
export type FlagResult<T> =
  | { readonly status: 'parsed'; readonly value: T }
  | { readonly status: 'deferred'; readonly text: string }
  | { readonly status: 'invalid'; readonly error: FlagError };

/** @internal */
export function parsed<T>(value: T): FlagResult<T> {
  return { status: 'parsed', value };
}

/** @internal */
export function invalid<T>(error: FlagError): FlagResult<T> {
  return { status: 'invalid', error };
}

/** Description of an invalid value and of the valid form. @internal */
export interface ValueProblem {
  readonly flag: string;
  readonly value: string;
  /** Reason the value is invalid, when there is more to tell than "invalid". */
  readonly reason?: string;
  readonly expected: string;
  readonly example: string;
  readonly suggestion?: string | undefined;
  readonly code?: FlagErrorCode;
  readonly cause?: unknown;
}

/**
 * Builds the error for a value of the wrong form, with one message shape for every
 * flag: what is invalid, the value, why, what was expected, and an example.
 *
 * @internal
 */
export function invalidValue<T>(problem: ValueProblem): FlagResult<T> {
  const reason = problem.reason === undefined ? '' : ` (${problem.reason})`;
  const hint =
    problem.suggestion === undefined ? '' : ` Did you mean ${JSON.stringify(problem.suggestion)}?`;
  const message =
    `Invalid value ${quoteValue(problem.value)} for --${problem.flag}${reason}: ` +
    `expected ${problem.expected}, as in ${problem.example}.${hint}`;
  return invalid(
    new FlagError(problem.code ?? 'invalid-value', message, {
      flag: problem.flag,
      value: problem.value,
      expected: problem.expected,
      example: problem.example,
      suggestion: problem.suggestion,
      cause: problem.cause,
    }),
  );
}

/** Quotes a value for a message, cut to 60 characters. @internal */
export function quoteValue(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}
