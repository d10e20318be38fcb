// Import time of the package in fresh Node.js processes, beside chevrotain's
// own entry and the package as it was before it bundled chevrotain, measured
// in the same run. Each sample is a new `node` process, so no module is
// cached in memory (the files are in the OS cache after the first round).
// Run with `pnpm --filter @gantry/dockerfile bench:import` (it builds first);
// `node bench/import-time.mjs 30` takes 30 rounds instead of 15, and
// `node bench/import-time.mjs 15 PROJECT` also imports the package from the
// folder PROJECT, which has it installed from a registry or a packed tarball.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const rounds = Number(process.argv[2] ?? 15);
const projectDir = process.argv[3];

const BASELINE = 'no import (node -e with an empty body)';
const subjects = [
  ['@gantry/dockerfile (chevrotain from vendor/chevrotain.js)', '@gantry/dockerfile'],
  ["@gantry/dockerfile, old entry (chevrotain's package entry)", copyWithPackageEntry()],
  ["chevrotain's package entry (lib/src/api.js)", 'chevrotain'],
  ['vendor/chevrotain.js alone', pathToFileURL(join(packageDir, 'vendor/chevrotain.js')).href],
  [BASELINE, undefined],
];
if (projectDir !== undefined) {
  subjects.unshift([
    `@gantry/dockerfile installed in ${projectDir}`,
    '@gantry/dockerfile',
    projectDir,
  ]);
}

/**
 * Copies dist/ to .bench/import-time/dist/ with src/chevrotain.ts's module
 * rewritten to import chevrotain's package entry, as every module did before
 * the bundle, and returns the URL of the copy's index.js.
 */
function copyWithPackageEntry() {
  const copyDir = join(packageDir, '.bench/import-time');
  rmSync(copyDir, { recursive: true, force: true });
  mkdirSync(copyDir, { recursive: true });
  cpSync(join(packageDir, 'dist'), join(copyDir, 'dist'), { recursive: true });
  writeFileSync(
    join(copyDir, 'dist/chevrotain.js'),
    "export { CstParser, createToken, Lexer } from 'chevrotain';\n",
  );
  return pathToFileURL(join(copyDir, 'dist/index.js')).href;
}

/**
 * Starts one `node` process that imports `specifier` from `folder` and returns
 * the import's time inside the process and the process's whole wall-clock
 * time, both in ms.
 */
function sample(specifier, folder) {
  const body =
    specifier === undefined
      ? 'process.stdout.write("0");'
      : [
          'const start = performance.now();',
          `await import(${JSON.stringify(specifier)});`,
          'process.stdout.write(String(performance.now() - start));',
        ].join('\n');
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', body], {
    cwd: folder,
    encoding: 'utf8',
  });
  const wall = performance.now() - started;
  if (child.status !== 0) {
    throw new Error(
      `node failed to import ${specifier} (exit status ${child.status}): ${child.stderr}`,
    );
  }
  return { import: Number(child.stdout), wall };
}

function median(values) {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const format = (ms) => `${ms.toFixed(1)} ms`;
const loadBefore = loadavg();
const samples = new Map(subjects.map(([name]) => [name, []]));

// One process per subject and round, in an order that rotates every round, so
// that a burst of load on the shared machine hits every subject alike.
for (let round = 0; round < rounds; round++) {
  for (let index = 0; index < subjects.length; index++) {
    const [name, specifier, folder = packageDir] = subjects[(index + round) % subjects.length];
    samples.get(name).push(sample(specifier, folder));
  }
}

const loadAfter = loadavg();
console.log(
  `Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model.trim()}), ${rounds} rounds`,
);
console.log(
  `load average before ${loadBefore.map((value) => value.toFixed(2)).join(' ')},` +
    ` after ${loadAfter.map((value) => value.toFixed(2)).join(' ')}`,
);
console.log('');
console.log('| import | median | min | max | whole process, median |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [name, measured] of samples) {
  const imports = measured.map((entry) => entry.import);
  const walls = measured.map((entry) => entry.wall);
  const importCells = [median(imports), Math.min(...imports), Math.max(...imports)].map(format);
  // The process without an import measures the start-up time of `node` alone.
  const cells = name === BASELINE ? ['–', '–', '–'] : importCells;
  console.log(`| ${name} | ${cells.join(' | ')} | ${format(median(walls))} |`);
}
