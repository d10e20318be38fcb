// Parse speed of gantry, dockerfile-ast 0.7.1 and docker-file-parser 1.0.7 on
// the same corpora of about 1 MB each, parsed one file at a time and measured
// in the same run: the golden fixtures repeated, and BuildKit's parser test
// Dockerfiles repeated (real-world files with more varied lines). Run with
// `pnpm --filter @gantry/dockerfile bench` (it builds dist first).
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { parse, parseSyntax } from '../dist/index.js';
import { conformanceFixtures, corpusFiles } from './corpus.mjs';

const require = createRequire(import.meta.url);
const { DockerfileParser } = require('dockerfile-ast');
const dockerFileParser = require('docker-file-parser');

let files = [];
let megabytes = 0;

const parsers = [
  ['gantry parseSyntax (syntax tree with ranges)', (file) => parseSyntax(file)],
  ['gantry parse (tree, typed instructions, stages)', (file) => parse(file)],
  ['dockerfile-ast 0.7.1', (file) => DockerfileParser.parse(file)],
  ['docker-file-parser 1.0.7', (file) => dockerFileParser.parse(file, { includeComments: true })],
];

/**
 * Parses the corpus for at least `seconds` of CPU time and returns MB/s of CPU
 * time (user and system) and of wall-clock time.
 */
function measure(parseFile, seconds) {
  let rounds = 0;
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  let cpu = 0;
  while (cpu < seconds * 1e6) {
    for (const file of files) parseFile(file);
    rounds++;
    const used = process.cpuUsage(cpuStart);
    cpu = used.user + used.system;
  }
  const wall = (performance.now() - wallStart) / 1000;
  return { cpu: (megabytes * rounds) / (cpu / 1e6), wall: (megabytes * rounds) / wall };
}

const corpora = [['golden fixtures', corpusFiles(1024 * 1024)]];
const buildkitFiles = conformanceFixtures();
if (buildkitFiles === undefined) {
  console.log('BuildKit corpus: skipped, no conformance folder (set GANTRY_CONFORMANCE_DIR)');
} else {
  corpora.push(['BuildKit parser test Dockerfiles', corpusFiles(1024 * 1024, buildkitFiles)]);
}
for (const [corpusName, corpusFilesOfRun] of corpora) {
  files = corpusFilesOfRun;
  megabytes = files.reduce((total, file) => total + Buffer.byteLength(file), 0) / (1024 * 1024);
  measureCorpus(corpusName);
}

function measureCorpus(corpusName) {
  const lines = files.reduce((total, file) => total + file.split('\n').length - 1, 0);
  console.log(
    `\n${corpusName}: ${files.length} files, ${megabytes.toFixed(2)} MB, ${lines} lines, node ${process.version}`,
  );
  // Rounds alternate between the parsers and each keeps its best round, so a
  // burst of load from other processes does not favour one parser.
  const best = parsers.map(() => ({ cpu: 0, wall: 0 }));
  for (const [, parseFile] of parsers) measure(parseFile, 0.3);
  for (let round = 0; round < 5; round++) {
    parsers.forEach(([, parseFile], index) => {
      const speed = measure(parseFile, 1);
      const record = best[index];
      record.cpu = Math.max(record.cpu, speed.cpu);
      record.wall = Math.max(record.wall, speed.wall);
    });
  }
  parsers.forEach(([name], index) => {
    const cpu = best[index].cpu.toFixed(1).padStart(6);
    const wall = best[index].wall.toFixed(1).padStart(6);
    console.log(`${name.padEnd(48)} ${cpu} MB/s (CPU time) ${wall} MB/s (wall clock)`);
  });
}
