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

  it('keeps every step container like --rm=false', async () => {
    const contextDir = await testFile.context({
      Dockerfile: 'FROM busybox:latest\nENV A=1\nRUN true\n',
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
    expect(removedEvents(built.events)).toEqual([]);
    expect(stepLines(built.log)).toEqual(stepLines(classic.log));
    expect(classicLeft).toHaveLength(ids.length);
    expect(gantryLeft).toEqual(ids);
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
