/** The error of an invalid command line. */
import type { OutputName } from './closed-output.js';

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

/** The signals that stop a build and remove its containers. */
export type InterruptSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/** The reason of the abort that SIGINT (Ctrl-C), SIGTERM or SIGHUP causes. */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
  readonly code = 'ERR_INTERRUPTED';
  /** The signal that stopped the build. */
  readonly signal: InterruptSignal;

  constructor(signal: InterruptSignal) {
    super(`The build was interrupted (${signal}); its containers were removed`);
    this.signal = signal;
  }
}

/** The reason of the abort when the reader of the build's log goes away (`gantry build . | head`). */
export class OutputClosedError extends Error {
  override readonly name = 'OutputClosedError';
  readonly code = 'ERR_OUTPUT_CLOSED';
  /** The output stream that closed. */
  readonly output: OutputName;

  constructor(output: OutputName) {
    super(
      `The build was stopped and its containers removed because its output (${output}) was closed; redirect the output to a file or /dev/null to let a build finish unread`,
    );
    this.output = output;
  }
}

/** An `--iidfile` that cannot be removed before the build or written after it. */
export class IidFileError extends Error {
  override readonly name = 'IidFileError';
  readonly code = 'ERR_IIDFILE';
}

/** A build error the build's log already showed; the CLI only sets the exit code. */
export class BuildReportedError extends Error {
  override readonly name = 'BuildReportedError';
  readonly code = 'ERR_BUILD_REPORTED';
  /** Exit code of the command: a failed RUN's own code, else 1. */
  readonly exitCode: number;

  constructor(cause: unknown, exitCode = 1) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.exitCode = exitCode;
  }
}

/** A build context on standard input that cannot be read as the archive it starts as. */
export class ContextInputError extends Error {
  override readonly name = 'ContextInputError';
  readonly code = 'ERR_CONTEXT_INPUT';
}
