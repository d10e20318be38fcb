/** The server's error classes; `http-errors.ts` maps them to status codes. */

/** Stable codes of {@link ServerError}. */
export type ServerErrorCode =
  | 'ERR_INVALID_PARAMETER'
  | 'ERR_UNSUPPORTED_PARAMETER'
  | 'ERR_INVALID_CONTEXT'
  | 'ERR_CONTEXT_TOO_LARGE'
  | 'ERR_BODY_TOO_LARGE'
  | 'ERR_TOO_MANY_BUILDS'
  | 'ERR_UNAUTHORIZED'
  | 'ERR_NOT_FOUND'
  | 'ERR_METHOD_NOT_ALLOWED'
  | 'ERR_BUILD_FINISHED'
  | 'ERR_API_VERSION'
  | 'ERR_CLIENT_CLOSED'
  | 'ERR_SLOW_READER'
  | 'ERR_BUILD_CANCELLED'
  | 'ERR_SERVER_STOPPING'
  | 'ERR_CONFIG';

/** Options of {@link ServerError}. */
export interface ServerErrorOptions extends ErrorOptions {
  /** The request parameter that is wrong, for `ERR_INVALID_PARAMETER` and `ERR_UNSUPPORTED_PARAMETER`. */
  readonly parameter?: string | undefined;
  /** Methods that the path takes, for `ERR_METHOD_NOT_ALLOWED`; sent as the `Allow` header. */
  readonly allow?: readonly string[] | undefined;
}

/**
 * An error of the build service with a stable `code`. Request errors name
 * the parameter that is wrong in `parameter` and in the message.
 */
export class ServerError extends Error {
  override readonly name = 'ServerError';
  readonly code: ServerErrorCode;
  readonly parameter: string | undefined;
  readonly allow: readonly string[] | undefined;

  constructor(code: ServerErrorCode, message: string, options: ServerErrorOptions = {}) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.code = code;
    this.parameter = options.parameter;
    this.allow = options.allow;
  }
}

/** Creates the error for a request parameter with an invalid value. */
export function invalidParameter(parameter: string, message: string, cause?: unknown): ServerError {
  return new ServerError('ERR_INVALID_PARAMETER', message, { parameter, cause });
}

/** Quotes a value received in a request for a message, truncated to 80 characters. */
export function quoteValue(value: string): string {
  const truncated = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  return JSON.stringify(truncated);
}
