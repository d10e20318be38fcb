import { randomBytes } from 'node:crypto';

/** Label key that marks every container and image a test created. */
export const TEST_LABEL = 'io.gantry.test';

/**
 * Engine client calls the fixture uses. `@gantry/daemon`'s
 * `DockerEngine` fits; keeping it structural avoids a dependency cycle.
 */
export interface CleanupEngine {
  containers: {
    list(options: { all: boolean; labels: string[] }): Promise<Array<{ Id: string }>>;
    remove(id: string, options: { force: boolean; volumes: boolean }): Promise<void>;
  };
  images: {
    list(options: { labels: string[] }): Promise<Array<{ Id: string }>>;
    remove(image: string, options: { force: boolean }): Promise<unknown>;
  };
}

/** Returns a new run id: unique per call, so parallel test files never share one. */
export function newTestRunId(): string {
  return `${process.pid}-${randomBytes(4).toString('hex')}`;
}

/**
 * Labels what a test creates and removes it afterwards: every container and
 * image with this fixture's label, plus the image references the test
 * registered with {@link EngineTestFixture.trackImage} (tags, pulled and
 * loaded images, which carry no label of their own).
 *
 * @example
 * const fixture = new EngineTestFixture(engine);
 * afterEach(() => fixture.cleanup());
 * await engine.containers.create({ config: { Image: 'busybox', Labels: fixture.labels } });
 */
export class EngineTestFixture implements AsyncDisposable {
  /** Run id, the value of the {@link TEST_LABEL} label. */
  readonly runId: string;
  readonly #engine: CleanupEngine;
  readonly #images = new Set<string>();

  constructor(engine: CleanupEngine, runId: string = newTestRunId()) {
    this.#engine = engine;
    this.runId = runId;
  }

  /** Labels to put on every container and image the test creates. */
  get labels(): Record<string, string> {
    return { [TEST_LABEL]: this.runId };
  }

  /** Label filter that matches what this fixture's test created, as `key=value`. */
  get labelFilter(): string {
    return `${TEST_LABEL}=${this.runId}`;
  }

  /** Registers an image reference or id to remove at cleanup; returns it. */
  trackImage(image: string): string {
    this.#images.add(image);
    return image;
  }

  /** Removes the labelled containers, then the tracked and labelled images. */
  async cleanup(): Promise<void> {
    const containers = await this.#engine.containers.list({
      all: true,
      labels: [this.labelFilter],
    });
    for (const { Id } of containers) {
      await ignoreMissing(this.#engine.containers.remove(Id, { force: true, volumes: true }));
    }
    for (const image of this.#images) {
      await ignoreMissing(this.#engine.images.remove(image, { force: true }));
    }
    this.#images.clear();
    const images = await this.#engine.images.list({ labels: [this.labelFilter] });
    for (const { Id } of images) {
      await ignoreMissing(this.#engine.images.remove(Id, { force: true }));
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.cleanup();
  }
}

// Another cleanup path may have removed the object first; that is the goal reached.
async function ignoreMissing(removal: Promise<unknown>): Promise<void> {
  try {
    await removal;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'ERR_CONTAINER_NOT_FOUND' && code !== 'ERR_IMAGE_NOT_FOUND') {
      throw error;
    }
  }
}
