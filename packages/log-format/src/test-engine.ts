/**
 * Test helpers that build the fixture contexts with Docker Engine's classic
 * builder, through the docker CLI and through the raw `/build` endpoint, and
 * remove everything those builds leave.
 */
import { execFile, spawn } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The Docker 20.10 client, whose classic builder output the goldens record. */
export const DOCKER = '/usr/bin/docker';
export const FIXTURES = join(import.meta.dirname, '..', 'testdata', 'fixtures');
export const GOLDEN = join(import.meta.dirname, '..', 'testdata', 'golden');
const BASE_IMAGES = ['busybox:latest', 'debian:bookworm'];

/** A classic build to run against a fixture. */
export interface FixtureBuild {
  fixture: string;
  tags: string[];
  runId: string;
  noCache?: boolean;
  buildArgs?: Record<string, string>;
  /** Dockerfile name inside the fixture, when not `Dockerfile`. */
  dockerfile?: string;
}

/** Output of the docker CLI, stdout then stderr, and its exit code. */
export interface Transcript {
  text: string;
  exitCode: number;
}

/** Runs `DOCKER_BUILDKIT=0 docker build` on a fixture and returns its transcript. */
export async function classicBuild(build: FixtureBuild): Promise<Transcript> {
  const args = ['build', '--force-rm', '--label', `io.gantry.test=${build.runId}`];
  for (const tag of build.tags) {
    args.push('-t', tag);
  }
  for (const [name, value] of Object.entries(build.buildArgs ?? {})) {
    args.push('--build-arg', `${name}=${value}`);
  }
  if (build.noCache) {
    args.push('--no-cache');
  }
  if (build.dockerfile !== undefined) {
    args.push('-f', join(FIXTURES, build.fixture, build.dockerfile));
  }
  args.push(join(FIXTURES, build.fixture));
  try {
    const { stdout, stderr } = await run(DOCKER, args, {
      env: { ...process.env, DOCKER_BUILDKIT: '0' },
    });
    return { text: stdout + stderr, exitCode: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { text: failed.stdout + failed.stderr, exitCode: failed.code };
  }
}

/** Runs `DOCKER_BUILDKIT=1 docker build --progress=plain` on a fixture. */
export async function buildkitBuild(build: FixtureBuild): Promise<Transcript> {
  const args = ['build', '--progress=plain', '--label', `io.gantry.test=${build.runId}`];
  for (const tag of build.tags) {
    args.push('-t', tag);
  }
  if (build.noCache) {
    args.push('--no-cache');
  }
  args.push(join(FIXTURES, build.fixture));
  try {
    const { stdout, stderr } = await run(DOCKER, args, {
      env: { ...process.env, DOCKER_BUILDKIT: '1' },
    });
    return { text: stdout + stderr, exitCode: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { text: failed.stdout + failed.stderr, exitCode: failed.code };
  }
}

/** Posts a fixture to the engine's `/build` endpoint and returns the raw response body. */
export async function apiBuild(build: FixtureBuild): Promise<string> {
  const query = new URLSearchParams({ forcerm: '1', nocache: build.noCache ? '1' : '0' });
  query.set('labels', JSON.stringify({ 'io.gantry.test': build.runId }));
  query.set('buildargs', JSON.stringify(build.buildArgs ?? {}));
  for (const tag of build.tags) {
    query.append('t', tag);
  }
  const context = await tarFolder(join(FIXTURES, build.fixture));
  return new Promise((resolve, reject) => {
    const post = request(
      {
        socketPath: '/var/run/docker.sock',
        method: 'POST',
        path: `/v1.41/build?${query}`,
        headers: { 'Content-Type': 'application/x-tar', 'Content-Length': context.length },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        response.on('error', reject);
      },
    );
    post.on('error', reject);
    post.end(context);
  });
}

async function tarFolder(folder: string): Promise<Buffer> {
  const tar = spawn('tar', ['-cf', '-', '-C', folder, '.']);
  const chunks: Buffer[] = [];
  for await (const chunk of tar.stdout) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Removes the containers, tags and images that transcripts name, newest
 * first, leaving the base images alone. Ids already gone are ignored.
 */
export async function removeBuildResults(transcripts: string[], tags: string[]): Promise<void> {
  const text = transcripts.join('\n');
  const containers = [...text.matchAll(/Running in ([0-9a-f]{12})/g)].map(
    (match) => match[1] ?? '',
  );
  const images = [
    ...text.matchAll(/ ---(?:>|\\u003e) ([0-9a-f]{12})|writing image sha256:([0-9a-f]{12})/g),
  ].map((match) => match[1] ?? match[2] ?? '');
  const keep = await baseImageIds();
  await quietly(['rm', '-f', ...containers]);
  await quietly(['rmi', ...tags]);
  for (const image of [...new Set(images)].reverse()) {
    if (image !== '' && !keep.some((id) => id.startsWith(image))) {
      await quietly(['rmi', image]);
    }
  }
}

async function baseImageIds(): Promise<string[]> {
  const { stdout } = await run(DOCKER, ['image', 'inspect', '--format', '{{.Id}}', ...BASE_IMAGES]);
  return stdout
    .trim()
    .split('\n')
    .map((id) => id.replace('sha256:', ''));
}

async function quietly(args: string[]): Promise<void> {
  if (args.length < 2 || (args[0] === 'rm' && args.length < 3)) {
    return;
  }
  await run(DOCKER, args).catch(() => undefined);
}
