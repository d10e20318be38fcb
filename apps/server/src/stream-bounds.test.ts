import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { BuildEvent, OutputEvent, WarningEvent } from '@gantry/log-format';
import { describe, expect, it } from 'vitest';
import type { BuildSummary } from './build-record.js';
import { OUTPUT_EVENT_COST, OUTPUT_OMITTED_RULE } from './kept-events.js';
import {
  buildQuery,
  parseEventStream,
  postContext,
  readBuildEvents,
  type TestServer,
  tarContext,
  useTestServer,
  waitFor,
} from './test-server.js';

const KEPT_OUTPUT = 256 * 1024;
/** A line of 63 characters that `yes` repeats, 64 bytes with its `\n`. */
const LINE = 'gantry-stream-bounds-'.padEnd(63, '0123456789');
/** Node's default high-water mark of a response: writes return false past it. */
const HIGH_WATER_MARK = 16 * 1024;
/**
 * The largest text of one event that the bound allows for. The test checks
 * that the build's kept output events are no larger.
 */
const MAX_EVENT_TEXT = 48 * 1024;

/**
 * Output that a paused reader cannot take in: more than loopback TCP buffers
 * grow to here (a 32 MiB receive and a 4 MiB send buffer), so the server's
 * writes stop and the reader falls behind.
 */
const BEYOND_SOCKET_BUFFERS = 48 * 1024 * 1024;

const test = useTestServer({ maxKeptOutputBytes: KEPT_OUTPUT });

/**
 * Returns a Dockerfile whose RUN step prints `bytes` of 64-byte lines, then a
 * last line. It waits a second first, so that a reader that connects after
 * the build starts is there before the output.
 */
function printingDockerfile(bytes: number): string {
  return `FROM busybox:latest\nRUN sleep 1; yes ${LINE} | head -c ${bytes}; echo done-printing\n`;
}

async function startBuild(dockerfile: string): Promise<BuildSummary> {
  const context = await tarContext({ Dockerfile: dockerfile });
  const response = await postContext(test, `/v1/builds?${buildQuery(test.fixture)}`, context);
  expect(response.status).toBe(202);
  return (await response.json()) as BuildSummary;
}

async function getBuild(id: string): Promise<BuildSummary> {
  return (await (await test.fetch(`/v1/builds/${id}`)).json()) as BuildSummary;
}

async function waitForEnd(id: string): Promise<BuildSummary> {
  await waitFor(async () => (await getBuild(id)).finishedAt !== undefined, 240_000);
  return getBuild(id);
}

/** Reads a metric's value from the metrics route; 0 when the series is missing. */
async function metric(series: string): Promise<number> {
  const text = await (await test.fetch('/metrics')).text();
  const line = text.split('\n').find((row) => row.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

/** Samples the stream buffer gauge until `done` resolves; returns the largest value. */
async function maxBufferedBytes(done: Promise<unknown>): Promise<number> {
  let finished = false;
  done.finally(() => {
    finished = true;
  });
  let max = 0;
  while (!finished) {
    max = Math.max(max, await metric('gantry_stream_buffered_bytes'));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return max;
}

/** A response whose body is not read until `resume` is called. */
interface PausedResponse {
  readonly response: IncomingMessage;
  /** Reads the rest of the body, up to its end or a reset. */
  resume(): Promise<string>;
}

/** Sends a request and pauses its response, so that the server's writes stop being read. */
function requestPaused(
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: Buffer } = {},
): Promise<PausedResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${test.url}${path}`, {
      method: init.method ?? 'GET',
      headers: init.headers,
    });
    request.on('error', reject);
    request.on('response', (response) => {
      response.pause();
      resolve({ response, resume: () => readRest(response) });
    });
    request.end(init.body);
  });
}

function readRest(response: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    const done = () => resolve(Buffer.concat(chunks).toString('utf8'));
    response.on('end', done);
    response.on('error', done);
    response.on('aborted', done);
    response.resume();
  });
}

/** Checks whether the server logged `message`, about build `buildId` when it is given. */
function logged(server: TestServer, message: string, buildId?: string): boolean {
  return server.logs.some((line) => {
    const fields = JSON.parse(line) as { msg: string; buildId?: string };
    return fields.msg === message && (buildId === undefined || fields.buildId === buildId);
  });
}

function outputText(events: readonly BuildEvent[]): string[] {
  return events.flatMap((event) => (event.type === 'output' ? [event.data] : []));
}

describe('kept output', () => {
  it('replays a large build with the left-out warning', async () => {
    const printed = 2 * 1024 * 1024;
    const build = await waitForEnd((await startBuild(printingDockerfile(printed))).id);
    expect(build.state).toBe('succeeded');
    const events = await readBuildEvents(test, build.id);
    const warnings = events.filter(
      (event): event is WarningEvent =>
        event.type === 'warning' && event.rule === OUTPUT_OMITTED_RULE,
    );
    expect(warnings).toHaveLength(1);
    const at = events.indexOf(warnings[0] as WarningEvent);
    const before = outputText(events.slice(0, at)).join('');
    const after = outputText(events.slice(at + 1)).join('');
    expect(before.startsWith(`${LINE}\n${LINE}\n`)).toBe(true);
    expect(after.endsWith(`${LINE}\ndone-printing\n`)).toBe(true);
    const keptBytes = before.length + after.length;
    expect(keptBytes + build.omittedOutputBytes).toBe(printed + 'done-printing\n'.length);
    const keptLines = (before + after).split('\n').length - 1;
    expect(keptLines + build.omittedOutputLines).toBe(printed / 64 + 1);
    expect(warnings[0]?.message).toContain(
      `${build.omittedOutputBytes} bytes (${build.omittedOutputLines} lines)`,
    );
  });

  it('holds no more output than the bound', async () => {
    const build = await waitForEnd((await startBuild(printingDockerfile(4 * 1024 * 1024))).id);
    const outputs = (await readBuildEvents(test, build.id)).filter(
      (event): event is OutputEvent => event.type === 'output',
    );
    const cost = outputs.reduce((sum, event) => sum + event.data.length + OUTPUT_EVENT_COST, 0);
    // The newest output event may pass the bound until the next one comes.
    const largest = Math.max(...outputs.map((event) => event.data.length));
    expect(cost).toBeLessThanOrEqual(KEPT_OUTPUT + largest + OUTPUT_EVENT_COST);
    expect(largest).toBeLessThan(MAX_EVENT_TEXT);
  });

  it('classic replay shows the warning in place', async () => {
    const build = await waitForEnd((await startBuild(printingDockerfile(1024 * 1024))).id);
    const response = await test.fetch(`/v1/builds/${build.id}/events?format=classic`);
    const log = parseEventStream(await response.text())
      .filter((message) => message.event === 'log')
      .map((message) => JSON.parse(message.data) as string)
      .join('');
    const warning = log.indexOf('[Warning] ');
    expect(warning).toBeGreaterThan(log.indexOf(`${LINE}\n`));
    expect(log.slice(warning)).toMatch(/^\[Warning\] \d+ bytes \(\d+ lines\) of step output/);
    expect(log.lastIndexOf('done-printing\n')).toBeGreaterThan(warning);
  });
});

describe('slow readers', () => {
  it('event stream stays under the buffer bound', async () => {
    const build = await startBuild(printingDockerfile(8 * 1024 * 1024));
    const stream = await requestPaused(`/v1/builds/${build.id}/events`);
    const ended = waitForEnd(build.id);
    const maxBuffered = await maxBufferedBytes(ended);
    expect(maxBuffered).toBeGreaterThan(0);
    expect(maxBuffered).toBeLessThanOrEqual(HIGH_WATER_MARK + MAX_EVENT_TEXT);
    expect((await ended).state).toBe('succeeded');
    await stream.resume();
  });

  it('slow event reader gets disconnect', async () => {
    const series = 'gantry_slow_readers_disconnected_total{route="/v1/builds/:id/events"}';
    const disconnected = await metric(series);
    const build = await startBuild(printingDockerfile(BEYOND_SOCKET_BUFFERS));
    const stream = await requestPaused(`/v1/builds/${build.id}/events`);
    await waitFor(() => logged(test, 'slow reader disconnected', build.id), 240_000);
    const messages = parseEventStream(await stream.resume());
    const last = messages.at(-1);
    expect(last?.event).toBe('disconnect');
    expect(JSON.parse(last?.data ?? '{}')).toMatchObject({ code: 'ERR_SLOW_READER' });
    expect(await metric(series)).toBe(disconnected + 1);
  });

  it('build outlives its disconnected reader', async () => {
    const build = await startBuild(printingDockerfile(BEYOND_SOCKET_BUFFERS));
    const stream = await requestPaused(`/v1/builds/${build.id}/events`);
    const ended = await waitForEnd(build.id);
    expect(ended.state).toBe('succeeded');
    expect(ended.omittedOutputBytes).toBeGreaterThan(0);
    expect(parseEventStream(await stream.resume()).at(-1)?.event).toBe('disconnect');
  });

  it('slow engine client slows the build', async () => {
    const context = await tarContext({ Dockerfile: printingDockerfile(8 * 1024 * 1024) });
    const stream = await requestPaused(`/build?${buildQuery(test.fixture)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-tar' },
      body: context,
    });
    const [summary] = (
      (await (await test.fetch('/v1/builds')).json()) as { builds: BuildSummary[] }
    ).builds;
    const id = summary?.id ?? '';
    // The RUN prints 8 MiB, 32 times the kept output, in well under these 3 s when nothing waits.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const text = await stream.resume();
    const ended = await waitForEnd(id);
    expect(ended.state).toBe('succeeded');
    expect(logged(test, 'slow client disconnected')).toBe(false);
    const printed = text
      .trim()
      .split('\r\n')
      .map((line) => JSON.parse(line) as { stream?: string })
      .map((message) => message.stream ?? '')
      .join('');
    expect(printed.split(`${LINE}\n`).length - 1).toBe(Math.floor((8 * 1024 * 1024) / 64));
    expect(printed).toContain('done-printing');
  });
});
