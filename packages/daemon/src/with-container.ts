import type { ContainerHandle, ContainersApi, CreateContainerOptions } from './containers.js';

/**
 * Creates a container, runs `step` with it, and removes the container
 * afterwards, whether `step` returned, threw or was aborted. For code that
 * cannot use `await using`.
 *
 * @example
 * const exit = await withContainer(engine.containers, { config: { Image: 'busybox' } }, async (c) => {
 *   await engine.containers.start(c.id);
 *   return engine.containers.wait(c.id);
 * });
 */
export async function withContainer<T>(
  containers: ContainersApi,
  options: CreateContainerOptions,
  step: (container: ContainerHandle) => Promise<T>,
): Promise<T> {
  const container = await containers.create(options);
  try {
    return await step(container);
  } finally {
    await container.remove();
  }
}
