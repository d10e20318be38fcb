// Memory of large builds and slow readers on loopback. It starts the built
// server with its default bound of kept output (4 MiB) and runs BENCH_BUILDS
// (default 2) builds one after another, each printing BENCH_MIB (default 64)
// MiB of output. One client reads each build's events at full speed and
// BENCH_PAUSED (default 4) clients never read. It
// samples the server's stream buffer gauge and the process memory every
// 100 ms and prints the peaks over the memory before the first build, and
// what each kept build holds. Every image it makes carries the label
// io.gantry.bench=<run id> or is listed by its build, and is removed at the
// end. Run `pnpm --filter @gantry/server build` first; run node with
// --expose-gc for the retained heap figure.
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSystemStore, LayerCache } from '@gantry/cache';
import { ConflictError, connectDockerEngine, ImageNotFoundError } from '@gantry/daemon';
import { pino } from 'pino';
import { pack } from 'tar-stream';
import { startServer } from '../dist/index.js';

const BUILDS = Number(process.env.BENCH_BUILDS ?? 2);
const MIB = Number(process.env.BENCH_MIB ?? 64);
const PAUSED = Number(process.env.BENCH_PAUSED ?? 4);
const LINE = 'gantry-stream-memory-'.padEnd(63, '0123456789');
const runId = `${process.pid}-${Date.now()}`;

const engine = await connectDockerEngine();
const folder = await mkdtemp(join(tmpdir(), 'gantry-server-bench-'));
const cache = new LayerCache({
  store: new FileSystemStore({ root: join(folder, 'cache') }),
  confirmImage: (imageId, signal) => engine.images.exists(imageId, { signal }),
});
const server = await startServer({
  port: 0,
  cache,
  workDir: folder,
  logger: pino({ level: 'error' }),
});
const createdImages = new Set();

try {
  globalThis.gc?.();
  const baseline = memory();
  const peaks = { rss: 0, heapUsed: 0, streamBuffered: 0 };
  const sampler = setInterval(() => sample(peaks), 100);
  const results = [];
  for (let build = 0; build < BUILDS; build++) results.push(await runBuild(build));
  clearInterval(sampler);
  globalThis.gc?.();
  const retained = memory();
  print(results, baseline, peaks, retained);
} finally {
  await removeImages();
  await server.close();
  await rm(folder, { recursive: true, force: true });
}

async function runBuild(number) {
  const dockerfile = `FROM busybox:latest\nRUN yes ${LINE} | head -c ${MIB * 1024 * 1024}; echo ${number}\n`;
  const labels = encodeURIComponent(JSON.stringify({ 'io.gantry.bench': runId }));
  const response = await fetch(`${server.url}/v1/builds?labels=${labels}&nocache=1`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-tar' },
    body: await tarContext({ Dockerfile: dockerfile }),
  });
  const { id } = await response.json();
  const paused = await Promise.all(Array.from({ length: PAUSED }, () => openPaused(id)));
  const started = Date.now();
  const fast = await readAll(`${server.url}/v1/builds/${id}/events`);
  const summary = await (await fetch(`${server.url}/v1/builds/${id}`)).json();
  for (const image of summary.createdImages) createdImages.add(image);
  for (const stream of paused) stream.destroy();
  return {
    id,
    state: summary.state,
    seconds: (Date.now() - started) / 1000,
    events: summary.eventCount,
    omittedMiB: summary.omittedOutputBytes / 1024 ** 2,
    fastReaderEnd: fast.lastEvent,
    fastReaderMiB: fast.bytes / 1024 ** 2,
  };
}

function openPaused(id) {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}/v1/builds/${id}/events`);
    req.on('error', reject);
    req.on('response', (res) => {
      res.pause();
      resolve(req);
    });
    req.end();
  });
}

async function readAll(url) {
  const response = await fetch(url);
  let bytes = 0;
  let tail = '';
  for await (const chunk of response.body) {
    bytes += chunk.length;
    tail = (tail + Buffer.from(chunk).toString('utf8')).slice(-200);
  }
  const lastEvent = /event: (\w+)\ndata: [^\n]*\n\n$/.exec(tail)?.[1];
  return { bytes, lastEvent };
}

async function sample(peaks) {
  const { rss, heapUsed } = memory();
  peaks.rss = Math.max(peaks.rss, rss);
  peaks.heapUsed = Math.max(peaks.heapUsed, heapUsed);
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((row) => row.startsWith('gantry_stream_buffered_bytes '));
  peaks.streamBuffered = Math.max(peaks.streamBuffered, Number(line?.split(' ')[1] ?? 0));
}

function memory() {
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
}

function print(results, baseline, peaks, retained) {
  const mib = (bytes) => (bytes / 1024 ** 2).toFixed(1);
  console.log(`builds: ${BUILDS}, output each: ${MIB} MiB, paused readers each: ${PAUSED}`);
  for (const result of results) {
    console.log(
      `build ${result.id}: ${result.state} in ${result.seconds.toFixed(1)} s, ` +
        `${result.events} events, ${result.omittedMiB.toFixed(1)} MiB left out, ` +
        `full-speed reader got ${result.fastReaderMiB.toFixed(1)} MiB and ended with ` +
        `"${result.fastReaderEnd}"`,
    );
  }
  console.log(`peak stream buffers: ${(peaks.streamBuffered / 1024).toFixed(1)} KiB`);
  // The process runs the server and the bench's clients alike.
  console.log(`peak process rss over baseline: ${mib(peaks.rss - baseline.rss)} MiB`);
  console.log(`peak process heap over baseline: ${mib(peaks.heapUsed - baseline.heapUsed)} MiB`);
  if (globalThis.gc !== undefined) {
    console.log(
      `retained heap after the builds: ${mib(retained.heapUsed - baseline.heapUsed)} MiB`,
    );
  }
}

async function tarContext(files) {
  const archive = pack();
  for (const [name, text] of Object.entries(files)) archive.entry({ name }, text);
  archive.finalize();
  const chunks = [];
  for await (const chunk of archive) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Removes the images the builds committed, children first, then the labelled ones. */
async function removeImages() {
  const images = [...createdImages].reverse();
  for (const { Id } of await engine.images.list({ labels: [`io.gantry.bench=${runId}`] })) {
    images.unshift(Id);
  }
  for (const image of images) {
    try {
      await engine.images.remove(image, { force: true });
    } catch (error) {
      if (!(error instanceof ImageNotFoundError || error instanceof ConflictError)) throw error;
    }
  }
}
