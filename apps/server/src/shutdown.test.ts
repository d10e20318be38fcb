import { afterEach, describe, expect, it } from 'vitest';
import type { BuildSummary } from './build-record.js';
import {
  buildQuery,
  containersWithMarker,
  openTestServer,
  postContext,
  type TestServer,
  tarContext,
  waitFor,
} from './test-server.js';

let test: TestServer | undefined;

afterEach(async () => {
  // Closes a server that a failed test left open; closing twice is harmless.
  await test?.close().catch(() => {});
  await test?.fixture.cleanup();
});

describe('close', () => {
  it('cancels running builds and removes their containers', async () => {
    test = await openTestServer();
    const marker = `gantry-shutdown-${test.fixture.runId}`;
    const context = await tarContext({
      Dockerfile: `FROM busybox:latest\nRUN echo ${marker}; sleep 60\n`,
    });
    const response = await postContext(test, `/v1/builds?${buildQuery(test.fixture)}`, context);
    const { id } = (await response.json()) as BuildSummary;
    const running = test;
    await waitFor(async () => {
      const build = (await (await running.fetch(`/v1/builds/${id}`)).json()) as BuildSummary;
      // build-start, two step-starts, a step-done, a cache miss, a container and its output.
      return build.steps[1]?.state === 'running' && build.eventCount >= 7;
    });
    const started = Date.now();
    await test.close();
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(await containersWithMarker(test, marker)).toEqual([]);
    const stopped = test.logs.map((line) => JSON.parse(line) as { msg: string; state?: string });
    expect(stopped.some((line) => line.msg === 'build cancelled')).toBe(true);
    expect(stopped.at(-1)?.msg).toBe('server stopped');
  });
});
