import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import {
  apiBuild,
  buildkitBuild,
  classicBuild,
  FIXTURES,
  type FixtureBuild,
  removeBuildResults,
} from './test-engine.js';
import { expectGolden, readGolden } from './test-golden.js';
import { normalizeTranscript, plainLineShape } from './test-normalize.js';

// These tests rebuild the fixtures with Docker Engine's classic builder and
// check that the stored goldens, which the renderer tests compare against,
// still match what the engine prints.

const RUN_ID = `log-format-${process.pid}-${Date.now()}`;
const BASIC_TAGS = [
  'gantry-log-format-test/basic:latest',
  'gantry-log-format-test/basic:v1',
  'localhost:5000/gantry-log-format-test/basic',
];

const created: { transcripts: string[]; tags: string[] } = { transcripts: [], tags: [] };

afterEach(async () => {
  await removeBuildResults(created.transcripts, created.tags);
  created.transcripts = [];
  created.tags = [];
});

async function classic(build: FixtureBuild) {
  created.tags.push(...build.tags);
  const transcript = await classicBuild(build);
  created.transcripts.push(transcript.text);
  return transcript;
}

async function api(build: FixtureBuild) {
  created.tags.push(...build.tags);
  const body = await apiBuild(build);
  created.transcripts.push(body);
  return body;
}

const basic: FixtureBuild = {
  fixture: 'basic',
  tags: BASIC_TAGS,
  runId: RUN_ID,
  buildArgs: { UNUSED: '1' },
};

/** The image whose ONBUILD triggers the onbuild-trigger fixture runs. */
const onbuildBase: FixtureBuild = {
  fixture: 'onbuild-trigger',
  dockerfile: 'base.Dockerfile',
  tags: ['gantry-log-format-test/onbuild-base:latest'],
  runId: RUN_ID,
  noCache: true,
};

describe('classic builder transcripts', { timeout: 120_000 }, () => {
  test('basic build, cold then cached', async () => {
    const cold = await classic({ ...basic, noCache: true });
    const cached = await classic(basic);

    expect(cold.exitCode).toBe(0);
    expect(cached.exitCode).toBe(0);
    expectGolden(normalizeTranscript(cold.text), 'classic/basic-cold.txt');
    expectGolden(normalizeTranscript(cached.text), 'classic/basic-cached.txt');
  });

  test('partial output and failing shell-form RUN', async () => {
    const tags = ['gantry-log-format-test/partial-output:latest'];
    const result = await classic({ fixture: 'partial-output', tags, runId: RUN_ID, noCache: true });

    expect(result.exitCode).toBe(1);
    expectGolden(normalizeTranscript(result.text), 'classic/partial-output.txt');
  });

  test('ONBUILD triggers of the base image', async () => {
    const base = await classic(onbuildBase);
    const tags = ['gantry-log-format-test/onbuild-child:latest'];
    const child = await classic({ fixture: 'onbuild-trigger', tags, runId: RUN_ID, noCache: true });

    expect(base.exitCode).toBe(0);
    expect(child.exitCode).toBe(0);
    expectGolden(normalizeTranscript(child.text), 'classic/onbuild-trigger.txt');
  });

  test('failing exec-form RUN', async () => {
    const tags = ['gantry-log-format-test/exec-failure:latest'];
    const result = await classic({ fixture: 'exec-failure', tags, runId: RUN_ID, noCache: true });

    expect(result.exitCode).toBe(3);
    expectGolden(normalizeTranscript(result.text), 'classic/exec-failure.txt');
  });
});

describe('engine /build streams', { timeout: 120_000 }, () => {
  test('basic build, cold', async () => {
    const body = await api({ ...basic, noCache: true });

    expectGolden(normalizeTranscript(body), 'engine-json/basic-cold.ndjson');
  });

  test('partial output and failing RUN', async () => {
    const tags = ['gantry-log-format-test/partial-output:latest'];
    const body = await api({ fixture: 'partial-output', tags, runId: RUN_ID, noCache: true });

    expectGolden(normalizeTranscript(body), 'engine-json/partial-output.ndjson');
  });
});

/**
 * Line shapes that gantry's plain renderer adds to BuildKit's: the reason a
 * step missed the cache, warnings, and the ONBUILD trigger count, which the
 * BuildKit inside Engine 20.10 does not print.
 */
const GANTRY_ONLY_SHAPES = [/^#N cache miss: /, /^WARN: /, /^#N executing \d+ ONBUILD triggers$/];

describe('BuildKit plain output shapes', { timeout: 120_000 }, () => {
  const builds: [string, FixtureBuild][] = [
    ['basic-cold', { ...basic, noCache: true }],
    ['basic-cached', basic],
    ['partial-output', { fixture: 'partial-output', tags: [], runId: RUN_ID, noCache: true }],
    ['exec-failure', { fixture: 'exec-failure', tags: [], runId: RUN_ID, noCache: true }],
    [
      'onbuild-trigger',
      {
        fixture: 'onbuild-trigger',
        tags: ['gantry-log-format-test/onbuild-child:latest'],
        runId: RUN_ID,
        noCache: true,
      },
    ],
  ];

  test('plain goldens use only line shapes BuildKit prints', async () => {
    await classic(onbuildBase);
    for (const [name, build] of builds) {
      created.tags.push(...build.tags);
      const transcript = await buildkitBuild(build);
      created.transcripts.push(transcript.text);
      writeReference(name, transcript.text);
      const shapes = new Set(transcript.text.split('\n').map(plainLineShape));

      const gantryLines = readGolden(`plain/${name}.txt`).split('\n');
      const unknown = gantryLines
        .map(plainLineShape)
        .filter((shape) => !shapes.has(shape))
        .filter((shape) => !GANTRY_ONLY_SHAPES.some((pattern) => pattern.test(shape)));
      expect(unknown, `shapes missing from BuildKit's ${name} build`).toEqual([]);
    }
  });
});

/** Keeps BuildKit's transcript beside the goldens, for readers, when goldens are rewritten. */
function writeReference(name: string, text: string): void {
  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(join(FIXTURES, '..', 'buildkit', `${name}.txt`), normalizeTranscript(text));
  }
}
