// Parse speed of gantry, dockerfile-ast 0.7.1 and docker-file-parser 1.0.7 on
// the same corpus of about 1 MB, measured in the same run. Run with
// `pnpm --filter @gantry/dockerfile bench` (it builds dist first).
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { parse, parseSyntax } from "../dist/index.js";
import { corpus } from "./corpus.mjs";

const require = createRequire(import.meta.url);
const { DockerfileParser } = require("dockerfile-ast");
const dockerFileParser = require("docker-file-parser");

const text = corpus(1024 * 1024);
const megabytes = Buffer.byteLength(text) / (1024 * 1024);

const parsers = [
  ["gantry parseSyntax (syntax tree with ranges)", () => parseSyntax(text)],
  ["gantry parse (tree, typed instructions, stages)", () => parse(text)],
  ["dockerfile-ast 0.7.1", () => DockerfileParser.parse(text)],
  ["docker-file-parser 1.0.7", () => dockerFileParser.parse(text, { includeComments: true })],
];

/**
 * Runs `run` for at least `seconds` of CPU time after a warm-up and returns
 * MB/s of CPU time (user and system) and of wall-clock time. CPU time is the
 * steadier figure on a machine that other processes share.
 */
function measure(run, seconds) {
  for (let index = 0; index < 3; index++) run();
  let rounds = 0;
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  let cpu = 0;
  while (cpu < seconds * 1e6) {
    run();
    rounds++;
    const used = process.cpuUsage(cpuStart);
    cpu = used.user + used.system;
  }
  const wall = (performance.now() - wallStart) / 1000;
  return { cpu: (megabytes * rounds) / (cpu / 1e6), wall: (megabytes * rounds) / wall };
}

console.log(`corpus: ${megabytes.toFixed(2)} MB, ${text.split("\n").length} lines, node ${process.version}`);
for (const [name, run] of parsers) {
  const speed = measure(run, 3);
  const cpu = speed.cpu.toFixed(1).padStart(6);
  const wall = speed.wall.toFixed(1).padStart(6);
  console.log(`${name.padEnd(48)} ${cpu} MB/s (CPU time) ${wall} MB/s (wall clock)`);
}
