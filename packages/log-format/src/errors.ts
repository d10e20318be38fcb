/** Stable codes of the errors this package throws. */
export type LogFormatErrorCode = 'INVALID_BUILD_EVENT' | 'UNKNOWN_FORMAT';

/** Error thrown by this package; branch on `code`, not on the message. */
export class LogFormatError extends Error {
  override name = 'LogFormatError';
  readonly code: LogFormatErrorCode;

  constructor(code: LogFormatErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}
