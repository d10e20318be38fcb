import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { BuildSession, PlannedStep } from '../session.js';
import { useTestBench } from '../test-engine.js';
import { commitStepContainer, settleRemovals } from './step-container.js';

const testFile = useTestBench();

/** Returns the parts of a session that {@link commitStepContainer} uses. */
function sessionWith(signal: AbortSignal): BuildSession {
  const { engine } = testFile.bench;
  const session = {
    engine,
    signal,
    emit: () => {},
    options: {},
    createdImages: [],
    liveContainers: new Set<string>(),
    keptContainers: new Set<string>(),
    removals: [],
    heldRemovals: [],
  };
  return session as unknown as BuildSession;
}

describe('commitStepContainer', () => {
  it('records a commit that an abort cut off', async () => {
    const { engine, fixture } = testFile.bench;
    const controller = new AbortController();
    const session = sessionWith(controller.signal);
    const committing = commitStepContainer(session, {
      step: { number: 1 } as PlannedStep,
      parent: 'busybox:latest',
      containerConfig: { Cmd: ['true'], Labels: fixture.labels },
      purpose: 'commit',
      commitConfig: { Cmd: ['sh'], Labels: fixture.labels },
      // The abort lands once the commit request is on its way to the engine.
      work: async () => {
        setTimeout(() => controller.abort(new Error('stopped')), 5);
      },
    });

    await expect(committing).rejects.toThrow('stopped');
    // An engine that goes on with a cut-off commit stores the image a little later.
    await sleep(1000);
    const images = await engine.images.list({ all: true, labels: [fixture.labelFilter] });
    expect(images.length).toBe(1);
    expect(session.createdImages).toEqual(images.map((image) => image.Id));
    expect(session.liveContainers.size).toBe(0);
  });

  it('removes a step container once the next step container exists', async () => {
    const { engine, fixture } = testFile.bench;
    const session = sessionWith(new AbortController().signal);
    const commit = (parent: string) =>
      commitStepContainer(session, {
        step: { number: 1 } as PlannedStep,
        parent,
        containerConfig: { Cmd: ['true'], Labels: fixture.labels },
        purpose: 'commit',
        commitConfig: { Cmd: ['sh'], Labels: fixture.labels },
      });
    const listed = async () =>
      (await engine.containers.list({ all: true, labels: [fixture.labelFilter] })).map(
        (container) => container.Id,
      );

    const first = await commit('busybox:latest');
    const [firstContainer] = await listed();
    expect(session.liveContainers).toEqual(new Set([firstContainer]));
    await commit(first);
    const [secondContainer] = [...session.liveContainers].filter((id) => id !== firstContainer);
    await settleRemovals(session);

    expect(firstContainer).toBeDefined();
    expect(secondContainer).toBeDefined();
    expect(await listed()).toEqual([]);
    expect(session.liveContainers.size).toBe(0);
  });
});
