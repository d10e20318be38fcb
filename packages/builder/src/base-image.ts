/** FROM: the base image of a stage, pulled as the pull policy says. */
import type { ImageInspect } from '@gantry/daemon';
import { ImageNotFoundError } from '@gantry/daemon';
import { BuildError, type StepLocation } from './errors.js';
import { scratchImage } from './scratch-image.js';
import type { BuildSession } from './session.js';

/**
 * Returns the inspected base image: an earlier stage's image, or a local
 * image, pulled when missing (`missing`), always (`always`) or never. A pull
 * emits a `pull-progress` event for each of the engine's status messages.
 * With `from`, the FROM step's location, the events carry its step number
 * and a missing image's error names the step.
 */
export async function resolveBaseImage(
  session: BuildSession,
  reference: string,
  stageImage: string | undefined,
  from?: StepLocation,
): Promise<ImageInspect> {
  const { engine, signal } = session;
  if (stageImage !== undefined) return engine.images.inspect(stageImage, { signal });
  if (reference === 'scratch') return scratchImage(session);
  const policy = session.options.pull ?? 'missing';
  if (policy === 'always') await pullImage(session, reference, from);
  try {
    return await engine.images.inspect(reference, { signal });
  } catch (error) {
    if (!(error instanceof ImageNotFoundError)) throw error;
    if (policy === 'missing') {
      await pullImage(session, reference, from);
      return engine.images.inspect(reference, { signal });
    }
    // An image that `always` has just pulled and cannot be found is the engine's error.
    if (policy === 'always') throw error;
    throw new BuildError(
      'ERR_BASE_IMAGE',
      `The base image ${JSON.stringify(reference)} does not exist locally and --pull=never is set; pull or build it first`,
      { location: from, cause: error },
    );
  }
}

async function pullImage(
  session: BuildSession,
  reference: string,
  from: StepLocation | undefined,
): Promise<void> {
  try {
    const { platform } = session.options;
    const pull = session.engine.images.pull(reference, {
      signal: session.signal,
      ...(platform === undefined ? {} : { platform }),
    });
    for await (const progress of pull) {
      session.emit({
        type: 'pull-progress',
        ...(from === undefined ? {} : { step: from.step }),
        image: reference,
        ...progress,
      });
    }
  } catch (error) {
    if (!(error instanceof ImageNotFoundError)) throw error;
    throw new BuildError(
      'ERR_BASE_IMAGE',
      `The base image ${JSON.stringify(reference)} was not found locally or in its registry; check the name and tag`,
      { location: from, cause: error },
    );
  }
}
