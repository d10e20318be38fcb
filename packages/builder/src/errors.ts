/** Errors of `@gantry/builder`; each has a stable `code` a caller can branch on. */
import type { Range } from '@gantry/dockerfile';

/** Stable codes of {@link BuildError}. */
export type BuildErrorCode =
  | 'ERR_DOCKERFILE'
  | 'ERR_TARGET_NOT_FOUND'
  | 'ERR_BASE_IMAGE'
  | 'ERR_STEP_FAILED'
  | 'ERR_COPY_SOURCE'
  | 'ERR_INVALID_TAG'
  | 'ERR_INVALID_NETWORK'
  | 'ERR_UNSUPPORTED';

/** Position of a failing step: its number, its text and its source range. */
export interface StepLocation {
  /** One-based step number across the build, as in `Step 2/8`. */
  readonly step: number;
  /** The instruction as written, continuations joined. */
  readonly instruction: string;
  /** Range of the instruction in the Dockerfile (zero-based lines). */
  readonly range: Range | undefined;
}

/** Options of {@link BuildError}. */
export interface BuildErrorOptions {
  readonly location?: StepLocation | undefined;
  readonly cause?: unknown;
}

/** A build failed; the message names the value and the fix. */
export class BuildError extends Error {
  override readonly name: string = 'BuildError';
  readonly code: BuildErrorCode;
  /** The step that failed, when one did. */
  readonly location: StepLocation | undefined;

  constructor(code: BuildErrorCode, message: string, options: BuildErrorOptions = {}) {
    super(withLocation(message, options.location), { cause: options.cause });
    this.code = code;
    this.location = options.location;
  }
}

/** A RUN command exited with a non-zero code. */
export class StepFailedError extends BuildError {
  override readonly name = 'StepFailedError';
  /** Exit code of the command. */
  readonly exitCode: number;
  /** The command as the engine ran it, such as `['/bin/sh', '-c', 'false']`. */
  readonly command: readonly string[];

  constructor(location: StepLocation, command: readonly string[], exitCode: number) {
    const text = `The command '${command.join(' ')}' returned a non-zero code: ${exitCode}`;
    super('ERR_STEP_FAILED', text, { location });
    this.exitCode = exitCode;
    this.command = command;
  }
}

function withLocation(message: string, location: StepLocation | undefined): string {
  if (location === undefined) return message;
  const line = location.range === undefined ? '' : `, line ${location.range.start.line + 1}`;
  return `${message} (step ${location.step}${line}: ${location.instruction})`;
}
