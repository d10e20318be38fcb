/** The image a `COPY --from` reads: an earlier stage or an image, and the errors that name it. */
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
 * @throws BuildError `ERR_DOCKERFILE` for a stage that is not built before this one.
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
  const image = await resolveBaseImage(session, from, undefined);
  return { id: image.Id, description: `image ${from}` };
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
