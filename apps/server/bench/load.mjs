// Load test on loopback: starts the built server on a free port, submits
// BENCH_BUILDS (default 20) builds of small busybox contexts at once, cold
// and then again fully cached, and meanwhile times POST /v1/parse. It checks
// that every build succeeded, that no container a build announced is left,
// and that every cache entry reads back and names an image that exists. It
// prints throughput and the p50 and p99 latencies. Every image it makes
// carries the label io.gantry.bench=<run id> or is listed by its build, and
// is removed at the end. Run `pnpm --filter @gantry/server build` first.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSystemStore, LayerCache } from '@gantry/cache';
import { ConflictError, connectDockerEngine, ImageNotFoundError } from '@gantry/daemon';
import { pino } from 'pino';
import { pack } from 'tar-stream';
import { startServer } from '../dist/index.js';

const BUILDS = Number(process.env.BENCH_BUILDS ?? 20);
const runId = `${process.pid}-${Date.now()}`;
const PARSE_TEXT = [
  'ARG BASE=busybox:latest',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a Dockerfile variable
  'FROM ${BASE} AS build',
  'WORKDIR /src',
  'COPY . .',
  'RUN echo building && \\',
  '    touch /out',
  'FROM busybox:latest',
  'COPY --from=build /out /out',
  'ENV PATH=/usr/local/bin:$PATH',
  'CMD ["sh", "-c", "cat /out"]',
  '',
].join('\n');

const engine = await connectDockerEngine();
const folder = await mkdtemp(join(tmpdir(), 'gantry-server-bench-'));
const store = new FileSystemStore({ root: join(folder, 'cache') });
const cache = new LayerCache({
  store,
  confirmImage: (imageId, signal) => engine.images.exists(imageId, { signal }),
});
const server = await startServer({
  port: 0,
  cache,
  workDir: folder,
  maxConcurrentBuilds: BUILDS,
  maxQueuedBuilds: BUILDS,
  logger: pino({ level: 'warn' }),
});

try {
  const idleParse = await timeParses(() => false, 200);
  const cold = await runRound('cold');
  const cached = await runRound('cached');
  await checkContainers();
  const entries = await checkCache();
  print({ idleParse, cold, cached, entries });
} finally {
  await removeImages();
  await server.close();
  await rm(folder, { recursive: true, force: true });
}

async function runRound(name) {
  let running = true;
  const started = performance.now();
  const parsing = timeParses(() => running, Number.POSITIVE_INFINITY);
  const results = await Promise.all(Array.from({ length: BUILDS }, (_, index) => buildOnce(index)));
  const seconds = (performance.now() - started) / 1000;
  running = false;
  const parse = await parsing;
  const failed = results.filter((result) => !result.ok);
  if (failed.length > 0) {
    throw new Error(`${failed.length} of ${BUILDS} ${name} builds failed: ${failed[0].text}`);
  }
  return { name, seconds, durations: results.map((result) => result.ms), parse };
}

async function buildOnce(index) {
  const context = await tarContext({
    Dockerfile: 'FROM busybox:latest\nCOPY data.txt /data.txt\nRUN wc -c /data.txt > /size\n',
    'data.txt': `build ${index} of run ${runId}\n`,
  });
  const labels = JSON.stringify({ 'io.gantry.bench': runId });
  const started = performance.now();
  const response = await fetch(`${server.url}/build?labels=${encodeURIComponent(labels)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-tar' },
    body: context,
  });
  const text = await response.text();
  const ok = response.status === 200 && text.includes('"aux":{"ID":"sha256:');
  return { ok, text: text.slice(-300), ms: performance.now() - started };
}

async function timeParses(keepGoing, count) {
  const latencies = [];
  while (latencies.length < count && (count !== Number.POSITIVE_INFINITY || keepGoing())) {
    const started = performance.now();
    const response = await fetch(`${server.url}/v1/parse`, { method: 'POST', body: PARSE_TEXT });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`/v1/parse returned ${response.status}`);
    latencies.push(performance.now() - started);
  }
  return latencies;
}

async function listBuilds() {
  const response = await fetch(`${server.url}/v1/builds`);
  return (await response.json()).builds;
}

async function checkContainers() {
  const created = new Set();
  for (const build of await listBuilds()) {
    const text = await (await fetch(`${server.url}/v1/builds/${build.id}/events`)).text();
    for (const match of text.matchAll(/"type":"container-created"[^}]*"containerId":"(\w+)"/g)) {
      created.add(match[1]);
    }
  }
  const left = (await engine.containers.list({ all: true })).filter((c) => created.has(c.Id));
  if (left.length > 0) throw new Error(`${left.length} build containers are left`);
  console.log(`containers: ${created.size} created by the builds, 0 left`);
}

async function checkCache() {
  let entries = 0;
  for await (const summary of store.list()) {
    const entry = await store.get(summary.key);
    if (entry === undefined) throw new Error(`cache entry ${summary.key} does not read back`);
    if (!(await engine.images.exists(entry.imageId))) {
      throw new Error(`cache entry ${summary.key} names a missing image ${entry.imageId}`);
    }
    entries++;
  }
  // Each build's COPY, RUN and LABEL steps have their own key: its data.txt differs.
  if (entries !== BUILDS * 3)
    throw new Error(`expected ${BUILDS * 3} cache entries, found ${entries}`);
  return entries;
}

async function removeImages() {
  const images = new Set();
  for (const build of await listBuilds()) for (const id of build.createdImages) images.add(id);
  for (const { Id } of await engine.images.list({ labels: [`io.gantry.bench=${runId}`] })) {
    images.add(Id);
  }
  for (let pass = 0; pass < 20 && images.size > 0; pass++) {
    for (const image of [...images].reverse()) {
      try {
        await engine.images.remove(image, { force: true });
        images.delete(image);
      } catch (error) {
        if (error instanceof ImageNotFoundError) images.delete(image);
        else if (!(error instanceof ConflictError)) throw error;
      }
    }
  }
}

async function tarContext(files) {
  const archive = pack();
  for (const [name, text] of Object.entries(files)) archive.entry({ name, mode: 0o644 }, text);
  archive.finalize();
  const chunks = [];
  for await (const chunk of archive) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function percentile(values, fraction) {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

function print({ idleParse, cold, cached, entries }) {
  const ms = (value) => `${value.toFixed(1)} ms`;
  for (const round of [cold, cached]) {
    console.log(
      `${round.name}: ${BUILDS} builds in ${round.seconds.toFixed(2)} s, ` +
        `${(BUILDS / round.seconds).toFixed(2)} builds/s; build p50 ${ms(percentile(round.durations, 0.5))}, ` +
        `p99 ${ms(percentile(round.durations, 0.99))}; /v1/parse under load: ${round.parse.length} requests, ` +
        `p50 ${ms(percentile(round.parse, 0.5))}, p99 ${ms(percentile(round.parse, 0.99))}`,
    );
  }
  console.log(
    `/v1/parse idle: ${idleParse.length} requests, p50 ${ms(percentile(idleParse, 0.5))}, ` +
      `p99 ${ms(percentile(idleParse, 0.99))}`,
  );
  console.log(`cache store: ${entries} entries, each read back and its image present`);
}
