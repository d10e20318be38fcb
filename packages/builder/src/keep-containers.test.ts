import type { BuildEvent } from '@gantry/log-format';
import { describe, expect, it } from 'vitest';
import {
  classicBuild,
  containerIds,
  gantryBuild,
  normalizeLog,
  useTestBench,
} from './test-engine.js';

const testFile = useTestBench();

/** Returns the ids of the containers that the classic builder's log names with `Running in`. */
function classicContainers(log: string): string[] {
  return [...log.matchAll(/ ---> Running in ([0-9a-f]{12})/g)].map((match) => match[1] ?? '');
}

/** Lists which of the containers still exist, then removes them. */
async function survivors(ids: readonly string[]): Promise<string[]> {
  const { engine } = testFile.bench;
  const all = await engine.containers.list({ all: true });
  const left = ids.filter((id) => all.some((container) => container.Id.startsWith(id)));
  for (const id of left) await engine.containers.remove(id, { force: true });
  return left;
}

/**
 * Returns the step lines of a log: the engine's stream leaves out the docker
 * CLI's context line, and the error comes apart from it.
 */
function stepLines(log: string): string[] {
  return normalizeLog(log)
    .split('\n')
    .filter(
      (line) =>
        line.startsWith('Step ') || line.startsWith(' ---> ') || line.startsWith('Removing'),
    );
}

/** Returns the id of the first container created for a purpose (`run`, `commit`, `copy`). */
function containerOf(events: readonly BuildEvent[], purpose: string): string | undefined {
  const created = events.find(
    (event) => event.type === 'container-created' && event.purpose === purpose,
  );
  return created?.type === 'container-created' ? created.containerId : undefined;
}

function removedEvents(events: readonly BuildEvent[]) {
  return events.filter((event) => event.type === 'container-removed');
}

describe('keepContainers', () => {
  it('keeps a failing step container like docker', async () => {
    const contextDir = await testFile.context({
      Dockerfile: 'FROM busybox:latest\nENV A=1\nRUN exit 3\n',
    });
    const classic = await classicBuild(testFile.bench, contextDir, {
      noCache: true,
      forceRemove: false,
    });
    const built = await gantryBuild(testFile.bench, {
      contextDir,
      noCache: true,
      keepContainers: 'failed',
    });
    const classicLeft = await survivors(classicContainers(classic.log));
    const gantryLeft = await survivors(containerIds(built.events));
    expect(classicLeft).toHaveLength(1);
    expect(gantryLeft).toHaveLength(1);
    expect(gantryLeft[0]).toBe(containerIds(built.events).at(-1));
    expect(stepLines(built.log)).toEqual(stepLines(classic.log));
  });

  it('keeps no container of a failing COPY', async () => {
    const contextDir = await testFile.context({
      Dockerfile: 'FROM busybox:latest\nCOPY --from=busybox:latest /missing /x\n',
    });
    const classic = await classicBuild(testFile.bench, contextDir, {
      noCache: true,
      forceRemove: false,
    });
    const built = await gantryBuild(testFile.bench, {
      contextDir,
      noCache: true,
      keepContainers: 'failed',
    });
    expect(classic.error).toContain('COPY failed');
    expect(built.error).toBeDefined();
    expect(classicContainers(classic.log)).toEqual([]);
    expect(await survivors(containerIds(built.events))).toEqual([]);
  });

  it('keeps every step container like --rm=false', async () => {
    // The classic builder writes COPY without a container, so none is kept for it.
    const contextDir = await testFile.context({
      Dockerfile: 'FROM busybox:latest\nENV A=1\nCOPY f /f\nRUN true\n',
      f: 'copied\n',
    });
    const classic = await classicBuild(testFile.bench, contextDir, {
      noCache: true,
      remove: false,
      forceRemove: false,
    });
    const built = await gantryBuild(testFile.bench, {
      contextDir,
      noCache: true,
      keepContainers: 'all',
    });
    // The containers go before any check, so that a failing check leaves none behind.
    const ids = containerIds(built.events);
    const classicLeft = await survivors(classicContainers(classic.log));
    const gantryLeft = await survivors(ids);
    expect(built.error).toBeUndefined();
    const copyContainer = containerOf(built.events, 'copy');
    expect(removedEvents(built.events).map((event) => event.containerId)).toEqual([copyContainer]);
    expect(stepLines(built.log)).toEqual(stepLines(classic.log));
    // ENV, RUN and the LABEL step of the test's labels.
    expect(classicLeft).toHaveLength(3);
    expect(gantryLeft).toEqual(ids.filter((id) => id !== copyContainer));
    expect(gantryLeft).toHaveLength(3);
  });

  it('removes kept containers when the build is cancelled', async () => {
    const contextDir = await testFile.context({
      Dockerfile: 'FROM busybox:latest\nENV A=1\nRUN sleep 30\n',
    });
    const controller = new AbortController();
    const pending = gantryBuild(testFile.bench, {
      contextDir,
      noCache: true,
      keepContainers: 'all',
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error('cancelled by the test')), 1500);
    const built = await pending;
    expect((built.error as Error).message).toBe('cancelled by the test');
    expect(await survivors(containerIds(built.events))).toEqual([]);
  });
});
