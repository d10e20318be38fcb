// Child process of context-digest.mjs: digests one context once and prints
// the time and this process's peak RSS as JSON, so each phase has its own peak.
import { performance } from 'node:perf_hooks';
import { digestContext } from '../dist/index.js';

const [contextDir, statCacheDir] = process.argv.slice(2);
const started = performance.now();
const cpuBefore = process.cpuUsage();
const result = await digestContext({ contextDir, statCacheDir });
const milliseconds = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const { read: _read, unstable, ...counts } = result;
process.stdout.write(
  `${JSON.stringify({
    milliseconds,
    cpuMilliseconds: (cpu.user + cpu.system) / 1000,
    maxRssKb: process.resourceUsage().maxRSS,
    unstable: unstable.length,
    ...counts,
  })}\n`,
);
