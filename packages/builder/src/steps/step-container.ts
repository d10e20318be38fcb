/**
 * The life of a step's container: create it from the parent image, do the
 * step's work in it, commit it with the step's config, and remove it however
 * the step ends.
 */
import type { ContainerConfig, HostConfig, ImageConfig } from '@gantry/daemon';
import type { ContainerPurpose } from '@gantry/log-format';
import { shellOf } from '../image-config.js';
import type { BuildSession, PlannedStep } from '../session.js';
import { settleAll } from '../settle.js';
import type { StepRequest } from './step-request.js';

/** Options of {@link commitStepContainer}. */
export interface StepContainerOptions {
  readonly step: PlannedStep;
  /** Image the container starts from. */
  readonly parent: string;
  /** Config the container is created with (`Image` is set from `parent`). */
  readonly containerConfig: ImageConfig;
  readonly hostConfig?: HostConfig;
  readonly purpose: ContainerPurpose;
  /** The step's work in the created container: run it, put files into it. */
  readonly work?: (containerId: string) => Promise<void>;
  /** Config of the image the step produces. */
  readonly commitConfig: ImageConfig;
  /** MAINTAINER of the stage, stored as `Author`. */
  readonly author?: string | undefined;
}

/** Runs a step in a container and commits it; returns the new image id. */
export async function commitStepContainer(
  session: BuildSession,
  options: StepContainerOptions,
): Promise<string> {
  const { engine, signal } = session;
  const { containerConfig, commitConfig } = withoutCommandLeak(options);
  const config: ContainerConfig = { ...containerConfig, Image: options.parent };
  if (options.hostConfig !== undefined) config.HostConfig = options.hostConfig;
  const container = await engine.containers.create({ config, signal });
  session.liveContainers.add(container.id);
  startHeldRemovals(session);
  const event = { step: options.step.number, containerId: container.id, purpose: options.purpose };
  session.emit({ type: 'container-created', ...event });
  let imageId: string;
  try {
    await options.work?.(container.id);
    // The commit takes no abort signal, because the engine finishes a commit
    // whose request was cut off and the cleanup would never learn the image's
    // id. The abort is checked once the commit returns.
    const commit = await engine.containers.commit(container.id, {
      config: commitConfig,
      pause: false,
      ...(options.author === undefined ? {} : { author: options.author }),
    });
    session.createdImages.push(commit.imageId);
    imageId = commit.imageId;
    signal.throwIfAborted();
  } catch (error) {
    const keep = keptContainers(session, options.purpose);
    if ((keep === 'failed' || keep === 'all') && !signal.aborted) {
      keepContainer(session, container.id);
      throw error;
    }
    await container.remove();
    session.liveContainers.delete(container.id);
    session.emit({ type: 'container-removed', ...event });
    throw error;
  }
  if (keptContainers(session, options.purpose) === 'all') {
    keepContainer(session, container.id);
    return imageId;
  }
  // The committed image does not need the container, so the next step starts
  // while the engine removes it (10 to 25 ms a step on Engine 20.10).
  removeInBackground(session, container);
  session.emit({ type: 'container-removed', ...event });
  return imageId;
}

/**
 * Returns the build's `keepContainers` for a step container. A COPY or ADD
 * container is never kept, because the classic builder writes those steps
 * without a container, so `docker build --rm=false` leaves none for them.
 */
function keptContainers(session: BuildSession, purpose: ContainerPurpose) {
  return purpose === 'copy' ? 'none' : (session.options.keepContainers ?? 'none');
}

/** Moves a step container from the build's cleanup to the containers it keeps. */
function keepContainer(session: BuildSession, containerId: string): void {
  session.liveContainers.delete(containerId);
  session.keptContainers.add(containerId);
}

/**
 * Removes a step container the build no longer needs while the build goes
 * on. The removal waits until the next step's container exists, or the build
 * ends: on 2 cores a container create beside a removal took 10 to 16 ms, and
 * 8 to 10 ms alone. The build awaits the removal with {@link settleRemovals}.
 */
function removeInBackground(
  session: BuildSession,
  container: { readonly id: string; remove(): Promise<void> },
): void {
  const held = new Promise<void>((start) => session.heldRemovals.push(start));
  const removal = held
    .then(() => container.remove())
    .then(() => {
      session.liveContainers.delete(container.id);
    });
  // A handler here keeps a failure from being an unhandled rejection. settleRemovals reports it.
  removal.catch(() => {});
  session.removals.push(removal);
}

/** Starts the step container removals that wait for the next create. */
export function startHeldRemovals(session: BuildSession): void {
  for (const start of session.heldRemovals.splice(0)) start();
}

/**
 * Starts the step container removals still held and waits for every removal.
 * Rejects with the first failure once all have settled, so that none is still
 * running afterwards.
 */
export async function settleRemovals(session: BuildSession): Promise<void> {
  startHeldRemovals(session);
  await settleAll(session.removals.splice(0));
}

/**
 * Keeps the step container's command out of an image that has neither `Cmd`
 * nor `Entrypoint`. The engine's commit fills an empty `Cmd` from the
 * container's, so the command moves to the container's entry point, and the
 * commit gets an empty (not absent) `Entrypoint`, which the engine keeps
 * empty and leaves out of the stored config.
 * NOTE: `docker history` then shows an empty command for such steps, because
 * the engine records the container's `Cmd` there.
 */
function withoutCommandLeak(options: StepContainerOptions): {
  containerConfig: ImageConfig;
  commitConfig: ImageConfig;
} {
  const { containerConfig, commitConfig } = options;
  const empty = (list: readonly string[] | null | undefined) =>
    list === undefined || list === null || list.length === 0;
  if (!empty(commitConfig.Cmd) || !empty(commitConfig.Entrypoint)) {
    return { containerConfig, commitConfig };
  }
  const entrypoint = (containerConfig.Entrypoint ?? []).filter(
    (part, index) => index > 0 || part !== '',
  );
  return {
    containerConfig: {
      ...containerConfig,
      Entrypoint: [...entrypoint, ...(containerConfig.Cmd ?? [])],
      // The commit copies this `Cmd` into the image, so it is the image's own (null or []).
      Cmd: commitConfig.Cmd ?? null,
    },
    commitConfig: { ...commitConfig, Entrypoint: [] },
  };
}

/**
 * Commits a COPY or ADD step: a container from the stage's image whose
 * command is the step's `#(nop)` comment, as the classic builder records it
 * in the history, filled by `work` and committed with the stage's config.
 */
export function commitCopyContainer(
  session: BuildSession,
  request: StepRequest,
  comment: string,
  work: (containerId: string) => Promise<void>,
): Promise<string> {
  const { state } = request;
  return commitStepContainer(session, {
    step: request.step,
    parent: state.imageId,
    containerConfig: { ...state.config, Cmd: [...shellOf(state.config), comment] },
    purpose: 'copy',
    commitConfig: state.config,
    author: state.author,
    work,
  });
}
