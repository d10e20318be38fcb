/** The container a `COPY --from` step reads its sources from, shared by the step's reads. */
import type { BuildSession } from '../session.js';
import type { SourceImage } from './copy-from-source.js';

/**
 * A container of the source image, never started: created on first use, so
 * that the read for the cache key and the copy after it share one.
 */
export class SourceContainer {
  readonly #session: BuildSession;
  /** The image `--from` names. */
  readonly image: SourceImage;
  #creating: Promise<{ readonly id: string; remove(): Promise<void> }> | undefined;

  constructor(session: BuildSession, image: SourceImage) {
    this.#session = session;
    this.image = image;
  }

  /** Returns the container's id, creating the container on the first call. */
  async id(): Promise<string> {
    this.#creating ??= this.#create();
    return (await this.#creating).id;
  }

  /**
   * Removes the container, if one was created, without delaying the caller.
   * The build waits for the removal with the step containers' removals.
   */
  release(): void {
    const creating = this.#creating;
    if (creating === undefined) return;
    this.#creating = undefined;
    const session = this.#session;
    const removal = creating.then(
      async (container) => {
        await container.remove();
        session.liveContainers.delete(container.id);
      },
      // A failed create is the step's error, and there is nothing to remove.
      () => undefined,
    );
    removal.catch(() => {});
    session.removals.push(removal);
  }

  async #create() {
    const { engine, signal } = this.#session;
    const container = await engine.containers.create({
      config: { Image: this.image.id, Cmd: ['/gantry-copy-source'], Entrypoint: [''] },
      signal,
    });
    this.#session.liveContainers.add(container.id);
    return container;
  }
}
