// Times whole builds, process to process: gantry (the installed script), the
// engine's classic builder and BuildKit, each cold (--no-cache) and fully
// cached, on the seed example without its network step and on a 30-step
// Dockerfile. Prints the median of each and the ratios to the classic builder.
// Every image it builds carries the label io.gantry.bench=<run id> and is
// removed at the end. Run `pnpm --filter @gantry/cli build` first.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const runId = `${process.pid}-${Date.now()}`;
const label = `io.gantry.bench=${runId}`;
const gantry = fileURLToPath(new URL('../dist/bundle/gantry', import.meta.url));
const seed = fileURLToPath(new URL('../../../examples/seed', import.meta.url));
const cacheHome = mkdtempSync(join(tmpdir(), 'gantry-bench-cache-'));

// Stage images that are not parents of the final image carry no label; the
// json events name them so that the clean-up can remove them.
const stageImages = new Set();
function rememberStageImages(events) {
  const fromSteps = new Set(
    events
      .filter((event) => event.type === 'step-start' && event.stageStep === 1)
      .map((event) => event.step),
  );
  for (const event of events) {
    if (event.type === 'step-done' && !fromSteps.has(event.step)) stageImages.add(event.imageId);
  }
}

/**
 * Node.js 20 reads the file that `NODE_EXTRA_CA_CERTS` names when it starts,
 * before any script runs (nodejs/node#40524). The gantry script starts
 * Node.js without it (see src/gantry.sh); the last lines show what that saves.
 */
const extraCaCerts = process.env.NODE_EXTRA_CA_CERTS;

const builders = {
  gantry: (context, tag, cold) =>
    run(gantry, ['build', ...flags(tag, cold), context], { XDG_CACHE_HOME: cacheHome }),
  classic: (context, tag, cold) =>
    run('/usr/bin/docker', ['build', ...flags(tag, cold), context], { DOCKER_BUILDKIT: '0' }),
  buildkit: (context, tag, cold) =>
    run('/usr/bin/docker', ['build', '--progress=plain', ...flags(tag, cold), context], {
      DOCKER_BUILDKIT: '1',
    }),
};

function flags(tag, cold) {
  return ['-t', tag, '--label', label, ...(cold ? ['--no-cache'] : [])];
}

function run(command, args, env, unset = []) {
  const merged = { ...process.env, ...env };
  for (const name of unset) delete merged[name];
  const started = performance.now();
  execFileSync(command, args, { env: merged, stdio: ['ignore', 'ignore', 'pipe'] });
  return (performance.now() - started) / 1000;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function seedWithoutNetwork() {
  const folder = mkdtempSync(join(tmpdir(), 'gantry-bench-seed-'));
  cpSync(seed, folder, { recursive: true });
  const dockerfile = readFileSync(join(folder, 'Dockerfile'), 'utf8');
  writeFileSync(join(folder, 'Dockerfile'), dockerfile.replace(/^RUN apt-get.*\n/m, ''));
  return folder;
}

function thirtySteps() {
  const folder = mkdtempSync(join(tmpdir(), 'gantry-bench-30-'));
  const lines = ['FROM busybox:latest'];
  for (let index = 0; index < 29; index++) {
    const kind = index % 5;
    if (kind === 0) lines.push(`ENV STEP_${index}=${index}`);
    if (kind === 1) lines.push(`RUN echo ${index} > /step-${index}`);
    if (kind === 2) {
      writeFileSync(join(folder, `file-${index}.txt`), `file ${index}\n`);
      lines.push(`COPY file-${index}.txt /files/`);
    }
    if (kind === 3) lines.push(`LABEL step-${index}=${index}`);
    if (kind === 4) lines.push(`WORKDIR /work/${index}`);
  }
  writeFileSync(join(folder, 'Dockerfile'), `${lines.join('\n')}\n`);
  return folder;
}

/**
 * Times each builder's cold and cached builds of a context. The builders take
 * turns within each run, so that a change of load on the machine weighs on
 * all three alike.
 */
function measure(name, context) {
  const entries = Object.entries(builders).map(([builder, build]) => ({
    builder,
    build,
    tag: `gantry-bench-${builder.toLowerCase().replace(/[^a-z]+/g, '-')}:${runId}`,
    cold: [],
    cached: [],
  }));
  // One build each first, so that images, caches and gantry's code cache exist.
  for (const entry of entries) entry.build(context, entry.tag, true);
  for (let index = 0; index < RUNS; index++) {
    for (const entry of entries) entry.cold.push(entry.build(context, entry.tag, true));
  }
  for (let index = 0; index < RUNS; index++) {
    for (const entry of entries) entry.cached.push(entry.build(context, entry.tag, false));
  }
  const rows = entries.map((entry) => ({
    builder: entry.builder,
    cold: median(entry.cold),
    cached: median(entry.cached),
  }));
  const classic = rows.find((row) => row.builder === 'classic');
  console.log(`\n${name} (median of ${RUNS} runs, seconds)`);
  console.log('builder                  cold    cached   cold/classic  cached/classic');
  for (const row of rows) {
    const coldRatio = (row.cold / classic.cold).toFixed(2);
    const cachedRatio = (row.cached / classic.cached).toFixed(2);
    console.log(
      `${row.builder.padEnd(23)} ${row.cold.toFixed(3).padStart(6)} ${row.cached.toFixed(3).padStart(8)}   ${coldRatio.padStart(12)}  ${cachedRatio.padStart(14)}`,
    );
  }
}

function fourStages() {
  const folder = mkdtempSync(join(tmpdir(), 'gantry-bench-stages-'));
  const stages = [0, 1, 2, 3].map(
    (index) => `FROM busybox:latest AS s${index}\nRUN sleep 2 && echo ${index} > /out-${index}\n`,
  );
  const copies = [0, 1, 2, 3].map((index) => `COPY --from=s${index} /out-${index} /\n`);
  writeFileSync(
    join(folder, 'Dockerfile'),
    `${stages.join('')}FROM busybox:latest\n${copies.join('')}`,
  );
  return folder;
}

/**
 * Builds the four-stage Dockerfile whole, and its first stage alone
 * (`--target s0`, the slowest stage alone, since all four are alike), and
 * prints two ratios. The first compares whole builds, process to process; the
 * four-stage build also runs the final stage's four COPY steps. The second
 * compares the stage phase (from the build's start to the end of the last of
 * the four stages) with the single stage's build() time. That phase is what
 * running stages at once can shorten.
 */
function measureStages(four) {
  const tag = `gantry-bench-stages:${runId}`;
  const times = { four: [], single: [], phase: [], singleBuild: [] };
  for (let index = 0; index < RUNS; index++) {
    const whole = gantryTimeline(four, tag, []);
    times.four.push(whole.seconds);
    times.phase.push(whole.stagePhase);
    const single = gantryTimeline(four, tag, ['--target', 's0']);
    times.single.push(single.seconds);
    times.singleBuild.push(single.buildSeconds);
  }
  const wholeRatio = median(times.four) / median(times.single);
  const phaseRatio = median(times.phase) / median(times.singleBuild);
  console.log('\nfour independent 2-second stages against one, gantry --progress json, cold');
  console.log(
    `whole builds: four stages and a final stage ${median(times.four).toFixed(3)} s, ` +
      `--target s0 ${median(times.single).toFixed(3)} s, ratio ${wholeRatio.toFixed(2)}`,
  );
  console.log(
    `stage phase: four stages ${median(times.phase).toFixed(3)} s, ` +
      `one stage ${median(times.singleBuild).toFixed(3)} s, ratio ${phaseRatio.toFixed(2)}`,
  );
}

/** Runs one cold gantry build with --progress json; returns its whole-process seconds and times from its events. */
function gantryTimeline(context, tag, extra) {
  const started = performance.now();
  const output = execFileSync(
    gantry,
    ['build', '--progress=json', ...flags(tag, true), ...extra, context],
    { env: { ...process.env, XDG_CACHE_HOME: cacheHome }, encoding: 'utf8' },
  );
  const seconds = (performance.now() - started) / 1000;
  const events = output
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  rememberStageImages(events);
  const start = events.find((event) => event.type === 'build-start').time;
  const done = events.find((event) => event.type === 'build-done').time;
  const finalStage = Math.max(...events.filter((e) => e.type === 'step-start').map((e) => e.stage));
  const stageSteps = new Set(
    events
      .filter((event) => event.type === 'step-start' && event.stage < finalStage)
      .map((event) => event.step),
  );
  const stageEnds = events
    .filter((event) => event.type === 'step-done' && stageSteps.has(event.step))
    .map((event) => event.time);
  const stagePhase = ((stageEnds.length > 0 ? Math.max(...stageEnds) : done) - start) / 1000;
  return { seconds, buildSeconds: (done - start) / 1000, stagePhase };
}

/** Prints the median start and exit of an empty Node.js process, with the caller's environment and, when set, without NODE_EXTRA_CA_CERTS. */
function measureNodeStart() {
  const variants = [['as run', []]];
  if (extraCaCerts) variants.push(['without NODE_EXTRA_CA_CERTS', ['NODE_EXTRA_CA_CERTS']]);
  const times = variants.map(() => []);
  for (let index = 0; index < RUNS * 3; index++) {
    variants.forEach(([, unset], variant) => {
      times[variant].push(run(process.execPath, ['-e', '0'], {}, unset));
    });
  }
  console.log('\n`node -e 0` (median, seconds)');
  variants.forEach(([name], variant) => {
    console.log(`${name.padEnd(28)} ${median(times[variant]).toFixed(3)}`);
  });
}

function cleanUp(folders) {
  const labelled = execFileSync('/usr/bin/docker', ['images', '-q', '--filter', `label=${label}`], {
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
  const images = [...labelled, ...stageImages];
  for (let pass = 0; pass < 5 && images.length > 0; pass++) {
    for (const image of [...new Set(images)]) {
      try {
        execFileSync('/usr/bin/docker', ['rmi', '-f', image], { stdio: 'ignore' });
        images.splice(images.indexOf(image), 1);
      } catch {
        // A parent of another labelled image goes in a later pass.
      }
    }
  }
  for (const folder of [...folders, cacheHome]) rmSync(folder, { recursive: true, force: true });
}

const folders = [seedWithoutNetwork(), thirtySteps(), fourStages()];
try {
  console.log(
    `node ${process.version}, ${RUNS} runs per figure, load ${(await import('node:os')).loadavg()[0].toFixed(2)}`,
  );
  measure('examples/seed without its RUN step (7 steps)', folders[0]);
  measure('30-step Dockerfile', folders[1]);
  measureStages(folders[2]);
  measureNodeStart();
} finally {
  cleanUp(folders);
}
