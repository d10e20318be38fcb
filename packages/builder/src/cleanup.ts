/** What a failed or cancelled build leaves behind, removed. */
import type { BuildSession } from './session.js';
import { startHeldRemovals } from './steps/step-container.js';

/**
 * Removes the build's containers that still exist; after a cancellation also
 * the containers it kept, the images it committed, newest first, and their
 * cache entries. Removal
 * takes no signal, so it runs after an abort too; an object already gone is
 * no error. Call it after the cache's flush, so no entry lands afterwards.
 */
export async function removeBuildLeftovers(
  session: BuildSession,
  cancelled: boolean,
): Promise<void> {
  const { engine } = session;
  startHeldRemovals(session);
  await Promise.allSettled(session.removals.splice(0));
  for (const containerId of session.liveContainers) {
    await engine.containers.remove(containerId, { force: true, volumes: true }).catch(() => {});
  }
  session.liveContainers.clear();
  if (!cancelled) return;
  // The images below cannot be removed while a kept container uses them.
  for (const containerId of session.keptContainers) {
    await engine.containers.remove(containerId, { force: true, volumes: true }).catch(() => {});
  }
  session.keptContainers.clear();
  for (const imageId of [...session.createdImages].reverse()) {
    const removed = await engine.images.remove(imageId, { noPrune: true }).then(
      () => true,
      () => false,
    );
    if (!removed) continue;
    for (const key of session.recordedKeys.get(imageId) ?? []) {
      await session.cache?.store.delete(key).catch(() => false);
    }
  }
}
