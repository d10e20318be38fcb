/** The error of an invalid command line. */

/** An invalid command line; the CLI exits with code 2 and prints the message and a hint. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'ERR_USAGE';
  /** The command whose help the hint names (`build`), if any. */
  readonly command: string | undefined;

  constructor(message: string, command?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.command = command;
  }
}

/** The reason of the abort that SIGINT causes. */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
  readonly code = 'ERR_INTERRUPTED';

  constructor() {
    super('The build was interrupted (SIGINT); its containers were removed');
  }
}

/** A build error the build's log already showed; the CLI only sets the exit code. */
export class BuildReportedError extends Error {
  override readonly name = 'BuildReportedError';
  readonly code = 'ERR_BUILD_REPORTED';

  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/** A build context on standard input that cannot be read as the archive it starts as. */
export class ContextInputError extends Error {
  override readonly name = 'ContextInputError';
  readonly code = 'ERR_CONTEXT_INPUT';
}
