// Puts a generated 1 GB tree into a container and gets it back, printing the
// time of each direction and the process's peak RSS. Run with `pnpm bench`
// after `pnpm build`; it needs the engine and busybox:latest.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { connectDockerEngine, packFolder } from '../dist/index.js';

const MIB = 1024 * 1024;
const LARGE_FILES = 4;
const LARGE_FILE_SIZE = 200 * MIB;
const SMALL_FILES = 20_000;
const SMALL_FILE_SIZE = 10 * 1024;
const FOLDERS = 100;

const tree = await mkdtemp('/var/tmp/gantry-bench-');
const engine = await connectDockerEngine();
let container;
try {
  const bytes = await generateTree(tree);
  const before = process.memoryUsage().rss;
  const peak = startRssSampler();
  container = await engine.containers.create({
    config: { Image: 'busybox:latest', Cmd: ['true'], Labels: { 'io.gantry.bench': 'archives' } },
  });
  const put = await timed(() =>
    engine.archives.put(container.id, { path: '/tmp', archive: packFolder(tree) }),
  );
  const got = await timed(async () => {
    const archive = await engine.archives.get(container.id, { path: '/tmp' });
    return countBytes(archive);
  });
  await report({ bytes, put, got, before, peak: peak.stop() });
} finally {
  await container?.remove();
  await rm(tree, { recursive: true, force: true });
}

async function generateTree(root) {
  const block = randomBytes(MIB);
  for (let i = 0; i < LARGE_FILES; i++) {
    await writeFile(join(root, `large-${i}.bin`), repeat(block, LARGE_FILE_SIZE / MIB));
  }
  for (let folder = 0; folder < FOLDERS; folder++) {
    await mkdir(join(root, `dir-${folder}`));
  }
  const small = block.subarray(0, SMALL_FILE_SIZE);
  for (let i = 0; i < SMALL_FILES; i++) {
    await writeFile(join(root, `dir-${i % FOLDERS}`, `file-${i}.txt`), small);
  }
  return LARGE_FILES * LARGE_FILE_SIZE + SMALL_FILES * SMALL_FILE_SIZE;
}

// Yields the block `count` times, so the generator holds one block, not the file.
function* repeat(block, count) {
  for (let i = 0; i < count; i++) yield block;
}

async function countBytes(archive) {
  let bytes = 0;
  const sink = new Writable({
    write(chunk, _encoding, done) {
      bytes += chunk.length;
      done();
    },
  });
  await pipeline(archive, sink);
  return bytes;
}

async function timed(action) {
  const start = process.hrtime.bigint();
  const result = await action();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, result };
}

function startRssSampler() {
  let max = process.memoryUsage().rss;
  const timer = setInterval(() => {
    max = Math.max(max, process.memoryUsage().rss);
  }, 20);
  return {
    stop() {
      clearInterval(timer);
      return max;
    },
  };
}

async function vmHwm() {
  const status = await readFile('/proc/self/status', 'utf8');
  const kib = Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1] ?? Number.NaN);
  return kib * 1024;
}

async function report({ bytes, put, got, before, peak }) {
  const mib = (value) => (value / MIB).toFixed(0);
  const rate = (seconds) => (bytes / MIB / seconds).toFixed(0);
  console.log(`tree: ${mib(bytes)} MiB in ${LARGE_FILES + SMALL_FILES} files`);
  console.log(`put:  ${put.seconds.toFixed(2)} s (${rate(put.seconds)} MiB/s)`);
  console.log(
    `get:  ${got.seconds.toFixed(2)} s (${rate(got.seconds)} MiB/s), ${mib(got.result)} MiB of tar`,
  );
  console.log(`RSS before the transfers: ${mib(before)} MiB`);
  console.log(`peak RSS during them: ${mib(peak)} MiB sampled every 20 ms`);
  console.log(
    `peak RSS of the process (VmHWM, tree generation included): ${mib(await vmHwm())} MiB`,
  );
}
