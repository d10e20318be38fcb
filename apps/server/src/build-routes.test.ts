import type { BuildEvent } from '@gantry/log-format';
import { describe, expect, it } from 'vitest';
import type { BuildSummary } from './build-record.js';
import {
  buildQuery,
  containersLeft,
  containersWithMarker,
  parseEventStream,
  postContext,
  readBuildEvents,
  tarContext,
  useTestServer,
  waitFor,
} from './test-server.js';

const test = useTestServer();

async function startBuild(dockerfile: string, parameters: Record<string, string> = {}) {
  const context = await tarContext({ Dockerfile: dockerfile, 'data.txt': 'data\n' });
  const query = buildQuery(test.fixture, parameters);
  const response = await postContext(test, `/v1/builds?${query}`, context);
  expect(response.status).toBe(202);
  return (await response.json()) as BuildSummary & { links: { self: string; events: string } };
}

async function getBuild(id: string): Promise<BuildSummary> {
  return (await (await test.fetch(`/v1/builds/${id}`)).json()) as BuildSummary;
}

async function waitForEnd(id: string): Promise<BuildSummary> {
  let build = await getBuild(id);
  await waitFor(async () => {
    build = await getBuild(id);
    return build.finishedAt !== undefined;
  });
  return build;
}

describe('build API', () => {
  it('POST returns 202 with the build id', async () => {
    const created = await startBuild('FROM busybox:latest\nCOPY data.txt /data.txt\n');
    expect(created.id).toMatch(/^[0-9a-f]{16}$/);
    expect(created.links.events).toBe(`/v1/builds/${created.id}/events`);
    const build = await waitForEnd(created.id);
    expect(build.state).toBe('succeeded');
    expect(build.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('summary has steps, timings and cache hits', async () => {
    const dockerfile = 'FROM busybox:latest\nRUN echo one > /one\nCOPY data.txt /data.txt\n';
    const first = await waitForEnd((await startBuild(dockerfile)).id);
    expect(first.cacheMisses).toBe(3);
    expect(first.steps.map((step) => step.instruction)).toEqual([
      'FROM busybox:latest',
      'RUN echo one > /one',
      'COPY data.txt /data.txt',
      `LABEL io.gantry.test=${test.fixture.runId}`,
    ]);
    expect(first.steps.every((step) => step.state === 'done')).toBe(true);
    expect(first.steps[1]?.durationMs).toBeGreaterThan(0);
    expect(first.durationMs).toBeGreaterThan(0);
    expect(first.createdImages).toHaveLength(3);
    const second = await waitForEnd((await startBuild(dockerfile)).id);
    expect(second.cacheHits).toBe(3);
    expect(second.steps[1]?.cached).toBe(true);
    expect(second.imageId).toBe(first.imageId);
  });

  it('explains a miss against the last build of the tag', async () => {
    const tag = `gantry-server-scope:${test.fixture.runId}`;
    test.fixture.trackImage(tag);
    const dockerfile = 'FROM busybox:latest\nCOPY data.txt /data.txt\n';
    const query = buildQuery(test.fixture, { t: tag });
    let latest = '';
    for (const data of ['first\n', 'second\n']) {
      const context = await tarContext({ Dockerfile: dockerfile, 'data.txt': data });
      const response = await postContext(test, `/v1/builds?${query}`, context);
      latest = (await waitForEnd(((await response.json()) as BuildSummary).id)).id;
    }
    const events = await readBuildEvents(test, latest);
    const miss = events.find((event) => event.type === 'step-cache-miss');
    expect(miss?.type === 'step-cache-miss' ? miss.reason : '').toContain('data.txt');
  });

  it('list shows builds newest first', async () => {
    const first = await startBuild('FROM busybox:latest\nENV N=1\n');
    const second = await startBuild('FROM busybox:latest\nENV N=2\n');
    await waitForEnd(first.id);
    await waitForEnd(second.id);
    const { builds } = (await (await test.fetch('/v1/builds')).json()) as {
      builds: BuildSummary[];
    };
    expect(builds[0]?.id).toBe(second.id);
    expect(builds[1]?.id).toBe(first.id);
    expect(builds[0]).not.toHaveProperty('steps');
  });

  it('unknown build is a 404', async () => {
    const response = await test.fetch('/v1/builds/0000000000000000');
    expect(response.status).toBe(404);
    expect(((await response.json()) as { code: string }).code).toBe('ERR_NOT_FOUND');
  });

  it('failed build has state failed and the error', async () => {
    const build = await waitForEnd((await startBuild('FROM busybox:latest\nRUN exit 4\n')).id);
    expect(build.state).toBe('failed');
    expect(build.error).toMatch(/^The command '\/bin\/sh -c exit 4' returned a non-zero code: 4/);
    expect(build.steps[1]?.state).toBe('failed');
  });
});

describe('build events', () => {
  it('stream sends the backlog, then live events, then end', async () => {
    const dockerfile = 'FROM busybox:latest\nRUN echo first; sleep 2; echo second\n';
    const created = await startBuild(dockerfile);
    await waitFor(async () => (await getBuild(created.id)).eventCount >= 3);
    const response = await test.fetch(created.links.events);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const messages = parseEventStream(await response.text());
    const events = messages
      .filter((message) => message.event === 'message')
      .map((message) => JSON.parse(message.data) as BuildEvent);
    expect(events[0]?.type).toBe('build-start');
    expect(events.at(-1)?.type).toBe('build-done');
    expect(messages.map((message) => message.id).slice(0, 3)).toEqual(['0', '1', '2']);
    expect(messages.at(-1)).toEqual({ id: undefined, event: 'end', data: '{"state":"succeeded"}' });
    const output = events.flatMap((event) => (event.type === 'output' ? [event.data] : []));
    expect(output.join('')).toBe('first\nsecond\n');
  });

  it('Last-Event-ID resumes after that event', async () => {
    const created = await startBuild('FROM busybox:latest\nENV A=1\n');
    await waitForEnd(created.id);
    const all = parseEventStream(await (await test.fetch(created.links.events)).text());
    const resumed = parseEventStream(
      await (await test.fetch(created.links.events, { headers: { 'last-event-id': '2' } })).text(),
    );
    expect(resumed[0]?.id).toBe('3');
    expect(resumed).toEqual(all.slice(3));
  });

  it('classic format sends the rendered log', async () => {
    const created = await startBuild('FROM busybox:latest\nRUN echo rendered\n');
    await waitForEnd(created.id);
    const response = await test.fetch(`${created.links.events}?format=classic`);
    const messages = parseEventStream(await response.text());
    const log = messages
      .filter((message) => message.event === 'log')
      .map((message) => JSON.parse(message.data) as string)
      .join('');
    expect(log).toMatch(/^Sending build context to Docker daemon {2}\S+/);
    expect(log).toMatch(/^Step 1\/3 : FROM busybox:latest$/m);
    expect(log).toMatch(/^rendered$/m);
    expect(log).toMatch(/^Successfully built [0-9a-f]{12}$/m);
  });

  it('invalid format is a 400 naming format', async () => {
    const created = await startBuild('FROM busybox:latest\n');
    await waitForEnd(created.id);
    const response = await test.fetch(`${created.links.events}?format=html`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { parameter: string }).parameter).toBe('format');
  });
});

describe('cancel', () => {
  it('DELETE stops a running build and removes its container', async () => {
    const marker = `cancel-${test.fixture.runId}`;
    const created = await startBuild(`FROM busybox:latest\nRUN echo ${marker}; sleep 60\n`);
    await waitFor(async () => {
      const events = (await getBuild(created.id)).steps;
      return events[1]?.state === 'running' && (await hasOutput(created.id));
    });
    const response = await test.fetch(created.links.self, { method: 'DELETE' });
    expect(response.status).toBe(202);
    const build = await waitForEnd(created.id);
    expect(build.state).toBe('cancelled');
    expect(build.error).toContain('cancelled by DELETE');
    expect(build.steps[1]?.state).toBe('cancelled');
    expect(build.durationMs).toBeLessThan(30_000);
    const events = await readBuildEvents(test, created.id);
    expect(await containersLeft(test, events)).toEqual([]);
    expect(await containersWithMarker(test, marker)).toEqual([]);
  });

  it('DELETE of an ended build is a 409', async () => {
    const created = await startBuild('FROM busybox:latest\n');
    await waitForEnd(created.id);
    const response = await test.fetch(created.links.self, { method: 'DELETE' });
    expect(response.status).toBe(409);
  });
});

async function hasOutput(id: string): Promise<boolean> {
  const response = await test.fetch(`/v1/builds/${id}/events`, {
    signal: AbortSignal.timeout(500),
  });
  const reader = response.body?.getReader();
  let text = '';
  try {
    while (reader !== undefined && !text.includes('"type":"output"')) {
      const { done, value } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString('utf8');
    }
  } catch {
    // The timeout ends a stream that has no output yet.
  }
  await reader?.cancel().catch(() => {});
  return text.includes('"type":"output"');
}
