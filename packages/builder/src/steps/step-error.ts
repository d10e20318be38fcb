/** The step's location on a build error that has none. */
import { BuildError } from '../errors.js';
import { locationOf } from './run-step.js';
import type { StepRequest } from './step-request.js';

/**
 * Returns the error with the step's location when it is a build error
 * without one, else the error itself. A source error of COPY or ADD then
 * starts with `COPY failed: ` or `ADD failed: `, as the classic builder
 * words it, so that a search of a build log for that text finds it.
 */
export function locateError(request: StepRequest, error: unknown): unknown {
  if (!(error instanceof BuildError) || error.location !== undefined) return error;
  const { name } = request.instruction;
  const copying = error.code === 'ERR_COPY_SOURCE' && (name === 'COPY' || name === 'ADD');
  const message = copying ? `${name} failed: ${error.message}` : error.message;
  return new BuildError(error.code, message, { location: locationOf(request), cause: error });
}
