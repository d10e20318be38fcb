// Child process of context-digest.mjs: digests one context once and prints
// the time and this process's peak RSS as JSON, so each phase has its own peak.
// It also prints the peak RSS before the digest (Node with the package loaded)
// and, when run with --expose-gc, the V8 heap still in use after a full
// collection, which is what the run keeps alive at its end.
// With `--floor` it only calls readdirSync and lstatSync on every entry, the
// least an unchanged re-digest must do.
import { lstatSync, readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { digestContext } from '../dist/index.js';

const [contextDir, statCacheDir, mode] = process.argv.slice(2);
const maxRssBeforeKb = process.resourceUsage().maxRSS;
const started = performance.now();
const cpuBefore = process.cpuUsage();
const result =
  mode === '--floor' ? statTree(contextDir) : await digestContext({ contextDir, statCacheDir });
const milliseconds = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const { read: _read, unstable, ...counts } = result;
const maxRssKb = process.resourceUsage().maxRSS;
const { heapTotal } = process.memoryUsage();
globalThis.gc?.();
process.stdout.write(
  `${JSON.stringify({
    milliseconds,
    cpuMilliseconds: (cpu.user + cpu.system) / 1000,
    maxRssKb,
    maxRssBeforeKb,
    heapTotalBytes: heapTotal,
    liveHeapBytes: process.memoryUsage().heapUsed,
    unstable: unstable.length,
    ...counts,
  })}\n`,
);

function statTree(folder) {
  let entries = 0;
  for (const name of readdirSync(folder)) {
    const stats = lstatSync(`${folder}/${name}`, { bigint: true });
    entries += stats.isDirectory() ? statTree(`${folder}/${name}`).entries + 1 : 1;
  }
  return { entries, digest: '-', readEntries: 0, reusedEntries: 0, unstable: [] };
}
