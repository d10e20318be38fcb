// Benchmark of digestContext on generated contexts: first digest and unchanged
// re-digest (three runs each), and re-digest after touching 10 files, each in
// a fresh process with its time and peak RSS, plus `tar -cf - DIR | wc -c` on
// the same tree.
//
// Usage: node bench/context-digest.mjs [files...]   (default: 25000 50000 100000)
// Each context averages 10 KiB a file (100,000 files is about 1 GB) and is
// created under /var/tmp, then removed.
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';

const run = promisify(execFile);
const FILES_PER_FOLDER = 500;
const MAX_FILE_BYTES = 20 * 1024;
const sizes = process.argv.slice(2).map(Number);
/** Runs of the first and of the unchanged digest; their medians give the speed-up. */
const RUNS = 3;

for (const files of sizes.length > 0 ? sizes : [25_000, 50_000, 100_000]) {
  await benchmark(files);
}

async function benchmark(files) {
  const root = await mkdtemp('/var/tmp/gantry-cache-bench-');
  try {
    const context = join(root, 'context');
    const statCache = join(root, 'stat-cache');
    const bytes = await generate(context, files);
    // Write the generated files back to disk first, so that the kernel's
    // writeback does not run during the timed phases.
    execFileSync('sync');
    // Files written in the 2 s before a digest are read again next time (the
    // racy window), so wait until the whole tree is older than that.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const gigabytes = (bytes / 1e9).toFixed(2);
    console.log(`\ncontext: ${files} files, ${gigabytes} GB, load average ${loadAverage()}`);
    // The first digest runs RUNS times, each with an empty stat cache, and the
    // last of them leaves the stat cache for the unchanged runs.
    const first = [];
    for (let run = 0; run < RUNS; run++) {
      await rm(statCache, { recursive: true, force: true });
      first.push(await digestOnce(context, statCache));
      report('first digest', first.at(-1));
    }
    const unchanged = [];
    for (let run = 0; run < RUNS; run++) {
      unchanged.push(await digestOnce(context, statCache));
      report('unchanged', unchanged.at(-1));
    }
    await touchFiles(context, files, 10);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    report('10 files touched', await digestOnce(context, statCache));
    report('readdir + lstat only', await digestOnce(context, statCache, '--floor'));
    const tarSeconds = await timeTar(context);
    console.log(`  ${'tar -cf - DIR | wc -c'.padEnd(22)} ${tarSeconds.toFixed(3)} s`);
    console.log(`  load average at the end ${loadAverage()}`);
    const speedup = (median(first) / median(unchanged)).toFixed(1);
    console.log(
      `  unchanged re-digest ${speedup} times faster than the first digest (medians of ${RUNS})`,
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

function loadAverage() {
  return loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');
}

function median(results) {
  const times = results.map((result) => result.milliseconds).sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

async function generate(context, files) {
  let bytes = 0;
  for (let index = 0; index < files; index++) {
    const folder = join(context, `d${Math.floor(index / FILES_PER_FOLDER)}`);
    if (index % FILES_PER_FOLDER === 0) {
      await mkdir(folder, { recursive: true });
    }
    const content = fileContent(index);
    bytes += content.length;
    await writeFile(join(folder, `f${index}.bin`), content);
  }
  return bytes;
}

/** Deterministic content: SHA-256 blocks seeded by the index, 0 to 20 KiB long. */
function fileContent(index) {
  const length = (index * 7919) % MAX_FILE_BYTES;
  const block = createHash('sha256').update(String(index)).digest();
  return Buffer.alloc(length, block);
}

async function touchFiles(context, files, count) {
  for (let i = 0; i < count; i++) {
    const index = Math.floor((i * files) / count);
    const folder = `d${Math.floor(index / FILES_PER_FOLDER)}`;
    await appendFile(join(context, folder, `f${index}.bin`), 'x');
  }
}

async function digestOnce(context, statCache, ...flags) {
  const started = performance.now();
  const script = ['--expose-gc', 'bench/digest-once.mjs', context, statCache, ...flags];
  // Linux carries a process's peak RSS over execve, so a child forked from
  // this process would start with this process's RSS as its peak. A shell in
  // between forks the child from a small process instead.
  const shell = ['-c', '"$0" "$@"; exit $?', process.execPath, ...script];
  const { stdout } = await run('sh', shell);
  return { ...JSON.parse(stdout), processMs: performance.now() - started };
}

async function timeTar(context) {
  const started = performance.now();
  execFileSync('sh', ['-c', `tar -cf - -C "${context}" . | wc -c`], { stdio: 'ignore' });
  return (performance.now() - started) / 1000;
}

function report(label, result) {
  const seconds = (result.milliseconds / 1000).toFixed(3);
  const cpu = (result.cpuMilliseconds / 1000).toFixed(3);
  const process = (result.processMs / 1000).toFixed(3);
  const rss = (result.maxRssKb / 1024).toFixed(0);
  const rssBefore = (result.maxRssBeforeKb / 1024).toFixed(0);
  const heap = (result.heapTotalBytes / 2 ** 20).toFixed(0);
  const live = (result.liveHeapBytes / 2 ** 20).toFixed(1);
  console.log(
    `  ${label.padEnd(22)} ${seconds} s (cpu ${cpu} s, process ${process} s)  ` +
      `peak RSS ${rss} MiB (${rssBefore} before, V8 heap ${heap} MiB, ${live} MiB live)  ` +
      `read ${result.readEntries}  reused ${result.reusedEntries}  ${result.digest.slice(0, 19)}`,
  );
}
