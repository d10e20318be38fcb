/** FROM: the base image of a stage, pulled as the pull policy says. */
import type { ImageInspect } from '@gantry/daemon';
import { ImageNotFoundError } from '@gantry/daemon';
import { BuildError } from './errors.js';
import { scratchImage } from './scratch-image.js';
import type { BuildSession } from './session.js';

/**
 * Returns the inspected base image: an earlier stage's image, or a local
 * image, pulled when missing (`missing`), always (`always`) or never. A pull
 * emits a `pull-progress` event for each of the engine's status messages,
 * of `step` when given.
 */
export async function resolveBaseImage(
  session: BuildSession,
  reference: string,
  stageImage: string | undefined,
  step?: number,
): Promise<ImageInspect> {
  const { engine, signal } = session;
  if (stageImage !== undefined) return engine.images.inspect(stageImage, { signal });
  if (reference === 'scratch') return scratchImage(session);
  const policy = session.options.pull ?? 'missing';
  if (policy === 'always') await pullImage(session, reference, step);
  try {
    return await engine.images.inspect(reference, { signal });
  } catch (error) {
    if (!(error instanceof ImageNotFoundError)) throw error;
    if (policy === 'missing') {
      await pullImage(session, reference, step);
      return engine.images.inspect(reference, { signal });
    }
    // An image that `always` has just pulled and cannot be found is the engine's error.
    if (policy === 'always') throw error;
    throw new BuildError(
      'ERR_BASE_IMAGE',
      `The base image ${JSON.stringify(reference)} does not exist locally and --pull=never is set; pull or build it first`,
      { cause: error },
    );
  }
}

async function pullImage(
  session: BuildSession,
  reference: string,
  step: number | undefined,
): Promise<void> {
  try {
    const pull = session.engine.images.pull(reference, { signal: session.signal });
    for await (const progress of pull) {
      session.emit({
        type: 'pull-progress',
        ...(step === undefined ? {} : { step }),
        image: reference,
        ...progress,
      });
    }
  } catch (error) {
    if (!(error instanceof ImageNotFoundError)) throw error;
    throw new BuildError(
      'ERR_BASE_IMAGE',
      `The base image ${JSON.stringify(reference)} was not found locally or in its registry; check the name and tag`,
      { cause: error },
    );
  }
}
