/** The image a `COPY --from` reads: an earlier stage or an image, and the errors that name it. */
import { EngineUnreachableError } from '@gantry/daemon';
import { resolveBaseImage } from '../base-image.js';
import { BuildError } from '../errors.js';
import type { BuildSession } from '../session.js';
import { locationOf } from './run-step.js';
import type { StepRequest } from './step-request.js';

/** The image `--from` names. */
export interface SourceImage {
  readonly id: string;
  /** The stage or image as messages name it: `stage build`, `stage 0`, `image busybox:latest`. */
  readonly description: string;
}

/**
 * Returns the image `--from` names: a stage built earlier (by name or
 * index), else an image, pulled as the build's `pull` option sets.
 *
 * @throws BuildError `ERR_DOCKERFILE` for a stage that is not built before this one, and
 *   `ERR_COPY_SOURCE` for a value that names no stage and no image that exists or can be pulled.
 */
export async function sourceImageOf(
  session: BuildSession,
  request: StepRequest,
  from: string,
): Promise<SourceImage> {
  const index = /^\d+$/.test(from) ? Number(from) : session.stageNames.get(from.toLowerCase());
  if (index !== undefined) {
    const imageId = session.stageImages.get(index);
    if (imageId === undefined) {
      throw new BuildError(
        'ERR_DOCKERFILE',
        `COPY --from=${from} names a stage that is not built before this one; move the stage up`,
        {
          location: locationOf(request),
        },
      );
    }
    return { id: imageId, description: `stage ${from}` };
  }
  try {
    const image = await resolveBaseImage(session, from, undefined);
    return { id: image.Id, description: `image ${from}` };
  } catch (error) {
    // An unreachable engine is no wrong stage name, and its own error gives the fix.
    if (session.signal.aborted || error instanceof EngineUnreachableError) throw error;
    throw missingFromImage(from, session.options.pull === 'never', error);
  }
}

/**
 * Returns the error of a `--from` value that names no stage and no usable
 * image. A misspelt stage name is the likelier cause, so the message names
 * the stages before the image. It carries no location, so the step adds one
 * and the `COPY failed: ` prefix.
 */
function missingFromImage(from: string, pullNever: boolean, error: unknown): BuildError {
  return new BuildError(
    'ERR_COPY_SOURCE',
    `--from=${from} names no stage of this Dockerfile, and the image ${JSON.stringify(from)} ${imageProblem(pullNever, error)}; check the stage name, or pull or build the image first`,
    { cause: error },
  );
}

function imageProblem(pullNever: boolean, error: unknown): string {
  if (error instanceof BuildError && error.code === 'ERR_BASE_IMAGE') {
    return pullNever
      ? 'does not exist locally and --pull=never is set'
      : 'was not found locally or in its registry';
  }
  const message = error instanceof Error ? error.message : String(error);
  return `could not be inspected or pulled (${message})`;
}

/** Returns the error of a `COPY --from` source path that is not in the source image. */
export function sourceNotFound(path: string, image: SourceImage): BuildError {
  return new BuildError(
    'ERR_COPY_SOURCE',
    `${path} not found in ${image.description}; check the path and the --from value`,
  );
}

/** Returns the error of a `COPY --from` wildcard source that matches nothing in the source image. */
export function noSourceMatch(pattern: string, image: SourceImage): BuildError {
  return new BuildError(
    'ERR_COPY_SOURCE',
    `no file in ${image.description} matches ${pattern}; check the pattern and the --from value`,
  );
}

/**
 * Returns the error of a `COPY --from` whose sources are all wildcards that
 * match nothing. It starts with the classic builder's message for this case.
 */
export function noSourceFiles(patterns: readonly string[], image: SourceImage): BuildError {
  return new BuildError(
    'ERR_COPY_SOURCE',
    `no source files were specified: nothing in ${image.description} matches ${patterns.join(' or ')}; check the patterns and the --from value`,
  );
}
