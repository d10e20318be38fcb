/**
 * Error classes of `@gantry/cache`. Each carries a stable `code` that callers
 * branch on; the message names the value and the fix.
 */

/** Stable codes of {@link CacheError}. */
export type CacheErrorCode =
  | 'INVALID_DOCKERIGNORE_PATTERN'
  | 'CONTEXT_NOT_FOUND'
  | 'CONTEXT_UNREADABLE'
  | 'INVALID_CACHE_KEY_INPUTS'
  | 'STORE_IO_FAILED';

/** Base class of every error this package throws. */
export class CacheError extends Error {
  /** Stable code for callers to branch on. */
  readonly code: CacheErrorCode;

  constructor(code: CacheErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CacheError';
    this.code = code;
  }
}

/** A `.dockerignore` line that Docker would also reject. */
export class DockerignorePatternError extends CacheError {
  /** The pattern as written in `.dockerignore`, after trimming. */
  readonly pattern: string;

  constructor(pattern: string, reason: string, options?: ErrorOptions) {
    super(
      'INVALID_DOCKERIGNORE_PATTERN',
      `Invalid .dockerignore pattern ${JSON.stringify(pattern)}: ${reason}. ` +
        'Fix or remove the line (Docker rejects it as well).',
      options,
    );
    this.name = 'DockerignorePatternError';
    this.pattern = pattern;
  }
}

/** The build context folder is missing, is not a folder, or cannot be read. */
export class ContextError extends CacheError {
  /** The path that failed. */
  readonly path: string;

  constructor(
    code: 'CONTEXT_NOT_FOUND' | 'CONTEXT_UNREADABLE',
    path: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(code, message, options);
    this.name = 'ContextError';
    this.path = path;
  }
}

/** Cache-key inputs that cannot be encoded (for example a non-integer mode). */
export class CacheKeyInputError extends CacheError {
  /** The field that holds the invalid value. */
  readonly field: string;

  constructor(field: string, message: string) {
    super('INVALID_CACHE_KEY_INPUTS', message);
    this.name = 'CacheKeyInputError';
    this.field = field;
  }
}

/** A store operation failed for a reason other than a missing or damaged entry. */
export class StoreError extends CacheError {
  constructor(message: string, options?: ErrorOptions) {
    super('STORE_IO_FAILED', message, options);
    this.name = 'StoreError';
  }
}
