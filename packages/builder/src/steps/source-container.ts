/** The container a `COPY --from` step reads its sources from, shared by the step's reads. */
import { Readable } from 'node:stream';
import type { BuildSession } from '../session.js';
import type { SourceImage } from './copy-from-source.js';

/** Bytes of archives a step keeps in memory between its files key and its copy: 32 MiB. */
export const KEPT_ARCHIVE_BYTES = 32 * 1024 * 1024;

/**
 * A container of the source image, never started: created on first use, so
 * that the read for the cache key and the copy after it share one, and so
 * do the archives they read.
 */
export class SourceContainer {
  readonly #session: BuildSession;
  /** The image `--from` names. */
  readonly image: SourceImage;
  #creating: Promise<{ readonly id: string; remove(): Promise<void> }> | undefined;
  /** Archives read for the files key, by path, each served once to the copy. */
  readonly #keptArchives = new Map<string, Buffer>();
  #keptBytes = 0;

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
   * Keeps an archive read for the files key, so that the copy reads it from
   * memory instead of from the engine a second time. Archives past
   * {@link KEPT_ARCHIVE_BYTES} in all are not kept.
   */
  keep(path: string, chunks: readonly Buffer[]): void {
    const size = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    if (this.#keptBytes + size > KEPT_ARCHIVE_BYTES) return;
    this.#keptArchives.set(path, Buffer.concat(chunks));
    this.#keptBytes += size;
  }

  /** Returns the engine's archive of a path in the container, from memory when it was kept. */
  async archive(path: string): Promise<Readable> {
    const archive = this.#keptArchives.get(path);
    if (archive !== undefined) {
      this.#keptArchives.delete(path);
      return Readable.from([archive]);
    }
    const { engine, signal } = this.#session;
    return engine.archives.get(await this.id(), { path, signal });
  }

  /**
   * Removes the container, if one was created, without delaying the caller.
   * The build waits for the removal with the step containers' removals.
   */
  release(): void {
    this.#keptArchives.clear();
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
