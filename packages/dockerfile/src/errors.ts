/**
 * The errors of the package. `parseStrict` throws `DockerfileSyntaxError`, and
 * `parse` never throws but returns the same problems as diagnostics.
 * `createDockerfileParser` throws `DockerfileExtensionError` for an invalid
 * extension.
 */
import type { Diagnostic, Range } from './syntax/nodes.js';

/**
 * A Dockerfile with at least one syntax error. `message` is the first error;
 * `diagnostics` contains every error and warning of the file.
 */
export class DockerfileSyntaxError extends Error {
  override readonly name = 'DockerfileSyntaxError';
  /** Stable code for callers that branch on the error. */
  readonly code = 'DOCKERFILE_SYNTAX';
  /** Range of the first error. */
  readonly range: Range;
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: readonly Diagnostic[], options?: ErrorOptions) {
    const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
    const first = errors[0] as Diagnostic;
    const others = errors.length - 1;
    const more = others > 0 ? ` (and ${others} more ${others === 1 ? 'error' : 'errors'})` : '';
    super(`invalid Dockerfile: ${first.message}${more}`, options);
    this.range = first.range;
    this.diagnostics = diagnostics;
  }
}

/**
 * An invalid extension given to `createDockerfileParser`: an invalid, built-in
 * or repeated instruction or flag name, a flag on an instruction the parser
 * does not read, or an unknown argument rule.
 */
export class DockerfileExtensionError extends Error {
  override readonly name = 'DockerfileExtensionError';
  /** Stable code for callers that branch on the error. */
  readonly code = 'DOCKERFILE_EXTENSION';
  /** The name or argument rule that was rejected, as given. */
  readonly value: string;

  constructor(message: string, value: string, options?: ErrorOptions) {
    super(message, options);
    this.value = value;
  }
}
