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
  | 'ERR_UNSUPPORTED'
  | 'ERR_CONTEXT_TOO_LARGE'
  | 'ERR_CONTEXT_COMPRESSION'
  | 'ERR_CONTEXT_ARCHIVE'
  | 'ERR_CONTEXT_ENTRY'
  | 'ERR_CONTEXT_READ'
  | 'ERR_CONTEXT_WRITE';

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

/** The part of a build-context stream that a byte limit measures. */
export type MeasuredPart = 'archive' | 'tar';

/** A build-context archive passed its byte limit (`ERR_CONTEXT_TOO_LARGE`). */
export class ContextTooLargeError extends BuildError {
  override readonly name = 'ContextTooLargeError';
  /** The limit that was passed, in bytes. */
  readonly maxBytes: number;
  /** `archive` for the bytes read from the stream, `tar` for the tar after decompression. */
  readonly measured: MeasuredPart;

  constructor(maxBytes: number, measured: MeasuredPart) {
    const part = measured === 'archive' ? 'archive' : 'decompressed tar';
    super(
      'ERR_CONTEXT_TOO_LARGE',
      `The build context ${part} is larger than the maximum of ${maxBytes} bytes; ` +
        'leave files out with .dockerignore or raise the limit',
    );
    this.maxBytes = maxBytes;
    this.measured = measured;
  }
}

/** Compressions that the engine reads in a build context but gantry does not. */
export type UnsupportedCompression = 'bzip2' | 'xz';

/** A build-context archive compressed with bzip2 or xz (`ERR_CONTEXT_COMPRESSION`). */
export class ContextCompressionError extends BuildError {
  override readonly name = 'ContextCompressionError';
  readonly compression: UnsupportedCompression;

  constructor(compression: UnsupportedCompression) {
    super(
      'ERR_CONTEXT_COMPRESSION',
      `The build context is a ${compression} archive, which gantry cannot read; ` +
        'send a tar, plain or gzip-compressed',
    );
    this.compression = compression;
  }
}

/**
 * Why an archive entry would land outside the extraction folder: its path
 * climbs out (`../x`), it passes through a symbolic link of the archive, or
 * it is a hard link to no earlier file entry.
 */
export type UnsafeEntryReason = 'outside-root' | 'below-symbolic-link' | 'missing-link-target';

/** Options of {@link ContextEntryError}. */
export interface ContextEntryErrorOptions {
  /** The entry's path as the archive names it. */
  readonly entry: string;
  readonly reason: UnsafeEntryReason;
  /** The archive's symbolic link on the entry's path, for `below-symbolic-link`. */
  readonly symbolicLink?: string | undefined;
  /** The hard link's target as the archive names it, for `missing-link-target`. */
  readonly linkTarget?: string | undefined;
  readonly cause?: unknown;
}

/** A build-context archive entry that extraction rejects (`ERR_CONTEXT_ENTRY`). */
export class ContextEntryError extends BuildError {
  override readonly name = 'ContextEntryError';
  /** The entry's path as the archive names it; below a symbolic link, the path that passes through it. */
  readonly entry: string;
  readonly reason: UnsafeEntryReason;
  readonly symbolicLink: string | undefined;
  readonly linkTarget: string | undefined;

  constructor(options: ContextEntryErrorOptions) {
    super('ERR_CONTEXT_ENTRY', entryMessage(options), { cause: options.cause });
    this.entry = options.entry;
    this.reason = options.reason;
    this.symbolicLink = options.symbolicLink;
    this.linkTarget = options.linkTarget;
  }
}

function entryMessage(options: ContextEntryErrorOptions): string {
  const entry = JSON.stringify(options.entry);
  if (options.reason === 'outside-root') {
    return `The build context archive has an entry outside its root: ${entry}; use relative paths`;
  }
  if (options.reason === 'below-symbolic-link') {
    const link = JSON.stringify(options.symbolicLink);
    return `The build context archive reaches ${entry} through the symbolic link ${link}; rebuild the archive without it`;
  }
  const target = JSON.stringify(options.linkTarget);
  return `The build context archive has a hard link ${entry} to ${target}, which is no earlier file entry; add the file before the link`;
}

function withLocation(message: string, location: StepLocation | undefined): string {
  if (location === undefined) return message;
  const line = location.range === undefined ? '' : `, line ${location.range.start.line + 1}`;
  return `${message} (step ${location.step}${line}: ${location.instruction})`;
}
