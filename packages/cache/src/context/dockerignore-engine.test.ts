/**
 * Differential test against the Docker Engine: the files the classic builder
 * lets `COPY . /ctx` see must be the files the walk keeps. Needs the engine on
 * /var/run/docker.sock, `/usr/bin/docker` and the local `busybox:latest` image.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerignoreMatcher } from '../dockerignore/dockerignore-matcher.js';
import type { DockerignoreRules } from '../dockerignore/pattern.js';
import { readDockerignore } from '../dockerignore/read-dockerignore.js';
import { temporaryFolder, writeTree } from './test-fixtures.js';
import { walkContext } from './walk-context.js';

const run = promisify(execFile);
const RUN_ID = `cache-dockerignore-${randomUUID()}`;
const LABEL = `io.gantry.test=${RUN_ID}`;

const DOCKERIGNORE = [
  '# a comment',
  ' # lead',
  '**/*.log',
  '!keep/**/*.log',
  '/abs.txt',
  'docs',
  '!docs/README.md',
  '**/x',
  '!a/b/x/keep',
  'sub/../clean.txt',
  'Dockerfile',
  '.dockerignore',
  '*.tmp   ',
  '[a-c].md',
  '!b.md',
  '?.txt',
  'a+b',
  '',
].join('\n');

const FILES = [
  'abs.txt',
  'x/abs.txt',
  'keep/deep/y.log',
  'other/z.log',
  'top.log',
  'docs/README.md',
  'docs/other.md',
  'a/b/x/y',
  'a/b/x/keep',
  'a/b/x/d/z',
  'q/x/r/f',
  'clean.txt',
  'sub/clean.txt',
  'file.tmp',
  '# lead',
  '#hash',
  'sp ace',
  'a.md',
  'b.md',
  'd.md',
  '1.txt',
  '12.txt',
  'a+b',
  'aab',
];

let context: Awaited<ReturnType<typeof temporaryFolder>>;
let engineFiles: string[];
const images: string[] = [];

beforeAll(async () => {
  context = await temporaryFolder('engine');
  await writeTree(context.path, {
    ...Object.fromEntries(FILES.map((path) => [path, `${path}\n`])),
    'empty/': null,
    link: { link: '../outside' },
    Dockerfile: 'FROM busybox:latest\nCOPY . /ctx\n',
    '.dockerignore': DOCKERIGNORE,
  });
  const build = await run(
    '/usr/bin/docker',
    ['build', '-q', '--rm', '--force-rm', '--label', LABEL, context.path],
    {
      env: { ...process.env, DOCKER_BUILDKIT: '0' },
    },
  );
  images.push(build.stdout.trim());
  const listing = await run('/usr/bin/docker', [
    'run',
    '--rm',
    '--label',
    LABEL,
    images[0] as string,
    'find',
    '/ctx',
  ]);
  engineFiles = listing.stdout
    .split('\n')
    .filter((line) => line.startsWith('/ctx/'))
    .map((line) => line.slice('/ctx/'.length))
    .sort();
}, 120_000);

afterAll(async () => {
  const containers = await run('/usr/bin/docker', ['ps', '-aq', '--filter', `label=${LABEL}`]);
  for (const id of containers.stdout.split('\n').filter(Boolean)) {
    await run('/usr/bin/docker', ['rm', '-f', id]);
  }
  for (const image of images) {
    await run('/usr/bin/docker', ['rmi', '-f', image]);
  }
  await context?.remove();
}, 60_000);

/** Paths the walk keeps, with every parent folder, as `find` lists them in the image. */
async function walkedWithParents(rules: DockerignoreRules): Promise<string[]> {
  const matcher = new DockerignoreMatcher(await readDockerignore(context.path), { rules });
  const paths = new Set<string>();
  for await (const entry of walkContext({ contextDir: context.path, matcher })) {
    const parts = entry.path.split('/');
    for (let depth = 1; depth <= parts.length; depth++) {
      paths.add(parts.slice(0, depth).join('/'));
    }
  }
  return [...paths].sort();
}

describe('dockerignore against the engine', () => {
  it('docker-20.10 rules keep what the classic builder copies', async () => {
    expect(await walkedWithParents('docker-20.10')).toEqual(engineFiles);
  });

  it('engine drops ignored build files from COPY', () => {
    expect(engineFiles).not.toContain('Dockerfile');
    expect(engineFiles).not.toContain('.dockerignore');
  });

  it('moby rules differ where the rules changed', async () => {
    const moby = await walkedWithParents('moby');
    const onlyEngine = engineFiles.filter((path) => !moby.includes(path));
    const onlyMoby = moby.filter((path) => !engineFiles.includes(path));
    expect(onlyEngine).toEqual(['a+b', 'a/b/x/d', 'a/b/x/d/z', 'a/b/x/y']);
    expect(onlyMoby).toEqual(['aab']);
  });
});
