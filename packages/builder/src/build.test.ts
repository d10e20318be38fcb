import { execFile } from 'node:child_process';
import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deriveCacheKey, LayerCache, MemoryStore } from '@gantry/cache';
import type { BuildEvent } from '@gantry/log-format';
import { describe, expect, it } from 'vitest';
import { build } from './build.js';
import { CACHE_PRODUCER } from './cache-step.js';
import { BuildError, StepFailedError } from './errors.js';
import {
  classicBuild,
  containerIds,
  dockerCliBuild,
  gantryBuild,
  normalizeLog,
  useTestBench,
} from './test-engine.js';

const CONFIG_DOCKERFILE = `FROM busybox:latest
ARG V=1
ENV E=x
RUN echo $V
CMD service nginx start
COPY a.txt /x/
WORKDIR /app
COPY . .
EXPOSE 80:8080
LABEL a=b "c d"=e
VOLUME /data
USER nobody
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=5s --retries=3 CMD true
SHELL ["/bin/sh","-c"]
ONBUILD RUN echo hi
MAINTAINER me
ENTRYPOINT ["/bin/sh", "-c", "exec nginx -g 'daemon off;'"]
`;

const CONFIG_FIELDS = [
  'Env',
  'Cmd',
  'Entrypoint',
  'WorkingDir',
  'User',
  'ExposedPorts',
  'Volumes',
  'Healthcheck',
  'OnBuild',
  'StopSignal',
  'Shell',
] as const;

const testFile = useTestBench();

async function context(files: Record<string, string>): Promise<string> {
  const folder = await testFile.context(files);
  return folder;
}

/** Runs a gantry build that must succeed; returns its output text. */
async function outputOf(files: Record<string, string>, buildArgs?: Record<string, string>) {
  const built = await gantryBuild(testFile.bench, { contextDir: await context(files), buildArgs });
  expect(built.error).toBeUndefined();
  return built.events.flatMap((event) => (event.type === 'output' ? [event.data] : [])).join('');
}

describe('build against the classic builder', () => {
  it('produces the same image config', async () => {
    const folder = await context({ Dockerfile: CONFIG_DOCKERFILE, 'a.txt': 'hello\n' });
    const classic = await classicBuild(testFile.bench, folder);
    const gantry = await gantryBuild(testFile.bench, { contextDir: folder });
    expect(gantry.error).toBeUndefined();
    const expected = await testFile.bench.engine.images.inspect(classic.imageId ?? '');
    const actual = await testFile.bench.engine.images.inspect(gantry.result?.imageId ?? '');
    for (const field of CONFIG_FIELDS) {
      expect(actual.Config?.[field], field).toEqual(expected.Config?.[field]);
    }
    expect(actual.Config?.Labels).toEqual(expected.Config?.Labels);
    expect(actual.Author).toBe(expected.Author);
  });

  it('records the same history', async () => {
    const folder = await context({ Dockerfile: CONFIG_DOCKERFILE, 'a.txt': 'hello\n' });
    const classic = await classicBuild(testFile.bench, folder);
    const gantry = await gantryBuild(testFile.bench, { contextDir: folder });
    // Known differences (README): gantry's own COPY hash, and the build-args
    // wrapper in the history of a stage's last RUN in an image without ENTRYPOINT.
    const history = async (imageId: string) =>
      (await testFile.bench.engine.images.history(imageId)).map((entry) =>
        entry.CreatedBy.replace(/(file|dir|multi):[0-9a-f]{64}/, '$1:<hash>').replace(
          /^env (\S+=\S* )*\/bin\/sh -c shift; exec env "\$@" gantry-run /,
          '',
        ),
      );
    expect(await history(gantry.result?.imageId ?? '')).toEqual(
      await history(classic.imageId ?? ''),
    );
  });

  it('adds one LABEL step per --label', async () => {
    const folder = await context({ Dockerfile: 'FROM busybox:latest\nENV A=1\n' });
    const labels = { ...testFile.bench.fixture.labels, zz: '1', b: 'x y' };
    const classic = await classicBuild(testFile.bench, folder, { labels });
    const gantry = await gantryBuild(testFile.bench, { contextDir: folder, labels });
    expect(gantry.error).toBeUndefined();
    const stepLines = (log: string) => log.split('\n').filter((line) => line.startsWith('Step '));
    expect(stepLines(gantry.log)).toEqual(stepLines(classic.log));
    const history = async (imageId: string) =>
      (await testFile.bench.engine.images.history(imageId)).map((entry) => entry.CreatedBy);
    expect(await history(gantry.result?.imageId ?? '')).toEqual(
      await history(classic.imageId ?? ''),
    );
  });

  it('prints the classic log shape', async () => {
    const folder = await context({ Dockerfile: CONFIG_DOCKERFILE, 'a.txt': 'hello\n' });
    const classic = await classicBuild(testFile.bench, folder, { noCache: true });
    const gantry = await gantryBuild(testFile.bench, { contextDir: folder, noCache: true });
    // The engine's stream starts at Step 1; the docker CLI prints the context line before it.
    const steps = gantry.log.slice(gantry.log.indexOf('Step 1/'));
    expect(normalizeLog(steps)).toBe(normalizeLog(classic.log));
  });

  it('notes a replaced HEALTHCHECK', async () => {
    const dockerfile = [
      'FROM busybox:latest',
      'HEALTHCHECK CMD true',
      'HEALTHCHECK --interval=5s CMD ["true", "x"]',
      'HEALTHCHECK NONE',
      'HEALTHCHECK CMD false',
      '',
    ].join('\n');
    const folder = await context({ Dockerfile: dockerfile });
    const classic = await classicBuild(testFile.bench, folder, { noCache: true });
    const gantry = await gantryBuild(testFile.bench, { contextDir: folder, noCache: true });
    const steps = gantry.log.slice(gantry.log.indexOf('Step 1/'));
    expect(normalizeLog(steps)).toBe(normalizeLog(classic.log));
    expect(gantry.log).toContain('Note: overriding previous HEALTHCHECK: [CMD-SHELL true]\n');
  });

  it('counts global ARGs as steps in the classic log', async () => {
    const dockerfile = [
      'ARG BASE=busybox:latest',
      'ARG OTHER',
      'FROM $BASE AS build',
      'RUN true',
      'FROM $BASE',
      'ARG BASE',
      'ENV B=$BASE',
      'COPY --from=build /bin/true /t',
      '',
    ].join('\n');
    const folder = await context({ Dockerfile: dockerfile });
    const classic = await classicBuild(testFile.bench, folder, { noCache: true });
    const gantry = await gantryBuild(testFile.bench, { contextDir: folder, noCache: true });
    expect(classic.log).toContain('Step 1/9 : ARG BASE=busybox:latest\nStep 2/9 : ARG OTHER\n');
    const steps = gantry.log.slice(gantry.log.indexOf('Step 1/'));
    expect(normalizeLog(steps)).toBe(normalizeLog(classic.log));
  });

  it('warns about an empty continuation line before the first step', async () => {
    const folder = await context({
      Dockerfile:
        'FROM busybox:latest\nRUN echo a \\\n\n  && echo b \\\n\n  && echo c\nENV X=1 \\\n\n  Y=2\n',
    });
    const classic = await classicBuild(testFile.bench, folder, { noCache: true });
    const gantry = await gantryBuild(testFile.bench, { contextDir: folder, noCache: true });
    expect(classic.log).toContain('[WARNING]: Empty continuation line found in:\n');
    const warnings = gantry.events.filter((event) => event.type === 'warning');
    expect(warnings).toMatchObject([
      { rule: 'NoEmptyContinuation', range: { start: { line: 2 } } },
      { rule: 'NoEmptyContinuation', range: { start: { line: 7 } } },
    ]);
    // The engine's stream starts with the block; the docker CLI prints the context line before it.
    const block = (log: string, start: number) => log.slice(start, log.indexOf('Step 1/'));
    expect(block(gantry.log, gantry.log.indexOf('\u001b[91m'))).toBe(block(classic.log, 0));
  });

  it('reports the context size the classic builder sends', async () => {
    const folder = await context({ Dockerfile: 'FROM busybox:latest\n', 'a.txt': 'x'.repeat(700) });
    const cli = await dockerCliBuild(testFile.bench, folder);
    const gantry = await gantryBuild(testFile.bench, { contextDir: folder });
    const sizeLine = (log: string) => log.split('\n')[0]?.replace(/\r/g, '');
    expect(sizeLine(gantry.log)).toBe(sizeLine(cli));
  });
});

describe('build cache', () => {
  const files = { Dockerfile: CONFIG_DOCKERFILE, 'a.txt': 'hello\n' };

  it('hits every step of an unchanged rebuild and creates no container', async () => {
    const folder = await context(files);
    await gantryBuild(testFile.bench, { contextDir: folder });
    const again = await gantryBuild(testFile.bench, { contextDir: folder });
    const starts = again.events.filter((event) => event.type === 'step-start').length;
    const hits = again.events.filter((event) => event.type === 'step-cache-hit').length;
    expect(hits).toBe(starts - 1);
    expect(containerIds(again.events)).toEqual([]);
    expect(again.log.match(/ ---> Using cache/g)?.length).toBe(starts - 1);
  });

  it('misses every step with --no-cache', async () => {
    const folder = await context(files);
    await gantryBuild(testFile.bench, { contextDir: folder });
    const again = await gantryBuild(testFile.bench, { contextDir: folder, noCache: true });
    const hits = again.events.filter((event) => event.type === 'step-cache-hit');
    const misses = again.events.filter((event) => event.type === 'step-cache-miss');
    expect(hits).toEqual([]);
    expect(misses.every((event) => event.code === 'cache-disabled')).toBe(true);
  });

  it('misses a step whose cached image was removed', async () => {
    const folder = await context({ Dockerfile: 'FROM busybox:latest\nENV A=1\n', x: '' });
    const first = await gantryBuild(testFile.bench, { contextDir: folder, labels: {} });
    await testFile.bench.engine.images.remove(first.result?.imageId ?? '', { force: true });
    const again = await gantryBuild(testFile.bench, { contextDir: folder, labels: {} });
    const miss = again.events.find((event) => event.type === 'step-cache-miss');
    expect(miss?.type).toBe('step-cache-miss');
    expect(miss?.type === 'step-cache-miss' ? miss.code : undefined).toBe('image-removed');
  });

  it('misses a COPY whose file changed, and says which', async () => {
    const folder = await context({
      Dockerfile: 'FROM busybox:latest\nCOPY a.txt /\n',
      'a.txt': '1',
    });
    await gantryBuild(testFile.bench, { contextDir: folder });
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${folder}/a.txt`, '2');
    const again = await gantryBuild(testFile.bench, { contextDir: folder });
    const miss = again.events.find((event) => event.type === 'step-cache-miss');
    expect(miss?.type).toBe('step-cache-miss');
    expect(miss?.type === 'step-cache-miss' ? miss.reason : '').toContain('a.txt');
  });

  it('explains a miss across folders of one cache scope', async () => {
    const first = await context({
      Dockerfile: 'FROM busybox:latest\nCOPY a.txt /\n',
      'a.txt': 'scope 1',
    });
    const second = await context({
      Dockerfile: 'FROM busybox:latest\nCOPY a.txt /\n',
      'a.txt': 'scope 2',
    });
    const scope = `project-${testFile.bench.fixture.runId}`;
    await gantryBuild(testFile.bench, { contextDir: first, cacheScope: scope });
    const again = await gantryBuild(testFile.bench, { contextDir: second, cacheScope: scope });
    const miss = again.events.find((event) => event.type === 'step-cache-miss');
    expect(miss?.type === 'step-cache-miss' ? miss.reason : '').toContain('a.txt');
  });
});

describe('build failures and cancellation', () => {
  it('rejects a failing RUN with its step, line and exit code', async () => {
    const folder = await context({ Dockerfile: 'FROM busybox:latest\nENV A=1\nRUN false\n' });
    const built = await gantryBuild(testFile.bench, { contextDir: folder });
    expect(built.error).toBeInstanceOf(StepFailedError);
    const error = built.error as StepFailedError;
    expect(error.exitCode).toBe(1);
    expect(error.location?.step).toBe(3);
    expect(error.location?.range?.start.line).toBe(2);
    expect(built.log).toContain("The command '/bin/sh -c false' returned a non-zero code: 1");
    const failure = built.events.find((event) => event.type === 'build-error');
    expect(failure).toMatchObject({ code: 'ERR_STEP_FAILED', step: 3, exitCode: 1 });
  });

  it('builds on an engine given as a promise', async () => {
    const folder = await context({ Dockerfile: 'FROM busybox:latest\nENV A=1\n' });
    const { bench } = testFile;
    const result = await build({
      contextDir: folder,
      engine: Promise.resolve(bench.engine),
      cache: bench.cache,
      onEvent: (event) => {
        if (event.type === 'step-done' && event.step > 1) bench.images.add(event.imageId);
      },
    });
    expect(result.imageId).toMatch(/^sha256:/);
  });

  it('reports an engine promise that rejects', async () => {
    const folder = await context({ Dockerfile: 'FROM busybox:latest\nENV A=1\n' });
    const unreachable = new Error('engine unreachable');
    const engine = Promise.reject(unreachable);
    engine.catch(() => {});
    const events: BuildEvent[] = [];
    const building = build({ contextDir: folder, engine, onEvent: (event) => events.push(event) });
    await expect(building).rejects.toBe(unreachable);
    const failure = events.find((event) => event.type === 'build-error');
    expect(failure).toMatchObject({ message: 'engine unreachable' });
  });

  it('gives a parse error its range', async () => {
    const folder = await context({ Dockerfile: 'FROM busybox:latest\n\n  RUNN true\n' });
    const built = await gantryBuild(testFile.bench, { contextDir: folder });
    expect(built.error).toMatchObject({ code: 'ERR_DOCKERFILE' });
    const failure = built.events.find((event) => event.type === 'build-error');
    expect(failure).toMatchObject({ range: { start: { line: 2, character: 2 } } });
    expect(failure).not.toHaveProperty('step');
  });

  it('fails an unknown USER with the engine reason', async () => {
    const folder = await context({ Dockerfile: 'FROM busybox:latest\nUSER ghost\nRUN true\n' });
    const classic = await classicBuild(testFile.bench, folder, { noCache: true });
    const built = await gantryBuild(testFile.bench, { contextDir: folder, noCache: true });
    const reason = 'unable to find user ghost: no matching entries in passwd file';
    expect(classic.error).toBe(reason);
    expect(built.error).toBeInstanceOf(BuildError);
    const error = built.error as BuildError;
    expect(error.code).toBe('ERR_STEP_FAILED');
    expect(error.message).toBe(`${reason} (step 3, line 3: RUN true)`);
  });

  it('has removed every step container when it returns', async () => {
    const folder = await context({
      Dockerfile: 'FROM busybox:latest\nENV A=1\nRUN true\nCMD ["sh"]\n',
    });
    const built = await gantryBuild(testFile.bench, { contextDir: folder, noCache: true });
    const ids = containerIds(built.events);
    expect(ids.length).toBe(4);
    const left = await testFile.bench.engine.containers.list({ all: true });
    expect(left.filter((container) => ids.includes(container.Id))).toEqual([]);
  });

  it('codes the build-error of a missing context', async () => {
    const built = await gantryBuild(testFile.bench, { contextDir: '/nonexistent/gantry-context' });
    expect(built.error).toBeDefined();
    const failure = built.events.find((event) => event.type === 'build-error');
    expect(failure).toMatchObject({ code: 'CONTEXT_NOT_FOUND' });
  });

  it('removes the container of a failing step', async () => {
    const folder = await context({ Dockerfile: 'FROM busybox:latest\nRUN exit 3\n' });
    const built = await gantryBuild(testFile.bench, { contextDir: folder });
    const ids = containerIds(built.events);
    expect(ids.length).toBe(1);
    const left = await testFile.bench.engine.containers.list({ all: true });
    expect(left.filter((container) => ids.includes(container.Id))).toEqual([]);
  });

  it('stops and removes everything on abort', async () => {
    const folder = await context({ Dockerfile: 'FROM busybox:latest\nENV A=1\nRUN sleep 30\n' });
    const controller = new AbortController();
    const started = Date.now();
    const pending = gantryBuild(testFile.bench, {
      contextDir: folder,
      noCache: true,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error('cancelled by the test')), 1500);
    const built = await pending;
    expect(Date.now() - started).toBeLessThan(20_000);
    expect((built.error as Error).message).toBe('cancelled by the test');
    const failure = built.events.find((event) => event.type === 'build-error');
    expect(failure).toMatchObject({ code: 'ERR_CANCELLED' });
    const ids = containerIds(built.events);
    const left = await testFile.bench.engine.containers.list({ all: true });
    expect(left.filter((container) => ids.includes(container.Id))).toEqual([]);
    const images = built.events.flatMap((event) =>
      event.type === 'step-done' && event.step > 1 ? [event.imageId] : [],
    );
    for (const imageId of images)
      expect(await testFile.bench.engine.images.exists(imageId)).toBe(false);
  });

  it('codes a COPY --from miss after its source changed', async () => {
    const dockerfile =
      'FROM busybox:latest AS src\nARG V\nRUN echo $V > /v\nFROM busybox:latest\nCOPY --from=src /v /v\n';
    const folder = await context({ Dockerfile: dockerfile });
    const cache = new LayerCache({ store: new MemoryStore() });
    const options = { contextDir: folder, cache, labels: {} };
    await gantryBuild(testFile.bench, { ...options, buildArgs: { V: '1' } });
    const again = await gantryBuild(testFile.bench, { ...options, buildArgs: { V: '2' } });
    expect(again.error).toBeUndefined();
    const misses = again.events.filter((event) => event.type === 'step-cache-miss');
    expect(misses.at(-1)).toMatchObject({ code: 'source-changed' });
  });

  it('codes a miss of an entry from another builder version', async () => {
    const folder = await context({ Dockerfile: 'FROM busybox:latest\nENV A=1\n' });
    const cache = new LayerCache({ store: new MemoryStore() });
    await gantryBuild(testFile.bench, { contextDir: folder, cache, labels: {} });
    for await (const summary of cache.store.list()) {
      const entry = await cache.store.get(summary.key);
      if (entry === undefined) continue;
      await cache.store.delete(entry.key);
      const inputs = { ...entry.inputs, producer: 'gantry-builder.1' };
      const { key } = deriveCacheKey(inputs);
      await cache.store.put({ ...entry, key, inputs });
    }
    const again = await gantryBuild(testFile.bench, { contextDir: folder, cache, labels: {} });
    const miss = again.events.find((event) => event.type === 'step-cache-miss');
    expect(miss).toMatchObject({
      code: 'builder-changed',
      reason: `builder version changed from gantry-builder.1 to ${CACHE_PRODUCER}`,
    });
  });

  it('keys each step with the builder version', async () => {
    const folder = await context({ Dockerfile: 'FROM busybox:latest\nENV A=1\n' });
    const cache = new LayerCache({ store: new MemoryStore() });
    const built = await gantryBuild(testFile.bench, { contextDir: folder, cache, labels: {} });
    expect(built.error).toBeUndefined();
    const producers: (string | undefined)[] = [];
    for await (const summary of cache.store.list()) {
      producers.push((await cache.store.get(summary.key))?.inputs.producer);
    }
    expect(producers).toEqual([CACHE_PRODUCER]);
  });

  it('forgets the cache entries of the images a cancelled build removed', async () => {
    const folder = await context({ Dockerfile: 'FROM busybox:latest\nENV A=1\nRUN sleep 30\n' });
    const cache = new LayerCache({ store: new MemoryStore() });
    const controller = new AbortController();
    const pending = gantryBuild(testFile.bench, {
      contextDir: folder,
      cache,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error('cancelled by the test')), 1500);
    const built = await pending;
    expect(built.events.some((event) => event.type === 'step-done' && event.step === 2)).toBe(true);
    const entries: string[] = [];
    for await (const entry of cache.store.list()) entries.push(entry.imageId);
    expect(entries).toEqual([]);
  });
});

describe('ARG and ENV scoping', () => {
  it('keeps global ARGs to FROM unless redeclared', async () => {
    const output = await outputOf({
      Dockerfile:
        'ARG BASE=busybox:latest\nARG G=global\nFROM $BASE\nRUN echo "g=[$G]"\nARG G\nRUN echo "g=[$G]"\n',
    });
    expect(output).toBe('g=[]\ng=[global]\n');
  });

  it('lets --build-arg override and ENV win over ARG', async () => {
    const output = await outputOf(
      { Dockerfile: 'FROM busybox:latest\nARG A=default\nARG B=b\nENV B=env\nRUN echo "$A $B"\n' },
      { A: 'given' },
    );
    expect(output).toBe('given env\n');
  });

  it('passes predefined proxy args without ARG and keeps them out of the image', async () => {
    const folder = await context({ Dockerfile: 'FROM busybox:latest\nRUN echo "[$http_proxy]"\n' });
    const built = await gantryBuild(testFile.bench, {
      contextDir: folder,
      buildArgs: { http_proxy: 'http://127.0.0.1:3128' },
    });
    const output = built.events.flatMap((event) => (event.type === 'output' ? [event.data] : []));
    expect(output.join('')).toBe('[http://127.0.0.1:3128]\n');
    const image = await testFile.bench.engine.images.inspect(built.result?.imageId ?? '');
    expect(image.Config?.Env?.some((entry) => entry.startsWith('http_proxy'))).toBe(false);
    const history = await testFile.bench.engine.images.history(built.result?.imageId ?? '');
    expect(
      history.some((entry) => entry.CreatedBy.endsWith('|0 /bin/sh -c echo "[$http_proxy]"')),
    ).toBe(true);
  });

  it('expands ENV values with the variables before the instruction', async () => {
    const output = await outputOf({
      Dockerfile: 'FROM busybox:latest\nENV A=1\nENV A=2 B=$A\nRUN echo "$A $B"\n',
    });
    expect(output).toBe('2 1\n');
  });

  it('warns about unused build args', async () => {
    const folder = await context({ Dockerfile: 'FROM busybox:latest\n' });
    const built = await gantryBuild(testFile.bench, {
      contextDir: folder,
      buildArgs: { NOPE: '1' },
    });
    expect(built.log).toContain('[Warning] One or more build-args [NOPE] were not consumed');
  });
});

describe('WORKDIR', () => {
  it('creates a missing folder owned by root and resolves relative paths', async () => {
    const output = await outputOf({
      Dockerfile:
        'FROM busybox:latest\nWORKDIR /a/b\nWORKDIR c\nRUN pwd && stat -c "%U %a" /a/b/c\n',
    });
    expect(output).toBe('/a/b/c\nroot 755\n');
  });

  it('keeps an existing folder as it is', async () => {
    const output = await outputOf({
      Dockerfile: 'FROM busybox:latest\nWORKDIR /tmp\nRUN stat -c "%a" /tmp\n',
    });
    expect(output).toBe('1777\n');
  });
});

describe('COPY sources', () => {
  it.each([
    ['a relative link', '../outside.txt'],
    ['an absolute link', '/etc/hostname'],
  ])('rejects %s out of the context', async (_name, target) => {
    const folder = await context({ Dockerfile: 'FROM busybox:latest\nCOPY out /out\n' });
    await symlink(target, join(folder, 'out'));
    const built = await gantryBuild(testFile.bench, { contextDir: folder });
    expect((built.error as { code?: string }).code).toBe('ERR_COPY_SOURCE');
    expect((built.error as Error).message).toContain(`out links to ${target}`);
  });

  it.each([
    ['the context', 'FROM busybox:latest\nCOPY nomatch* other?.txt /x/\n', 'nomatch*'],
    [
      'a stage',
      'FROM busybox:latest AS src\nFROM busybox:latest\nCOPY --from=src /nomatch* /other? /x/\n',
      '/nomatch*',
    ],
  ])('rejects wildcards matching nothing in %s', async (_name, dockerfile, first) => {
    const folder = await context({ Dockerfile: dockerfile });
    const built = await gantryBuild(testFile.bench, { contextDir: folder });
    expect((built.error as { code?: string }).code).toBe('ERR_COPY_SOURCE');
    expect((built.error as Error).message).toContain(first);
  });

  it.each([
    ['COPY from the context', 'COPY nothere.txt /x'],
    ['ADD from the context', 'ADD nothere.txt /x'],
    ['COPY --from an image', 'COPY --from=busybox:latest /nothere /x'],
  ])('starts a missing source of %s as the classic builder does', async (_name, copy) => {
    const folder = await context({ Dockerfile: `FROM busybox:latest\n${copy}\n` });
    const classic = await classicBuild(testFile.bench, folder, { noCache: true });
    const built = await gantryBuild(testFile.bench, { contextDir: folder, noCache: true });
    const prefix = /^(COPY|ADD) failed: /.exec(classic.error ?? '')?.[0];
    expect(prefix).toBeDefined();
    expect((built.error as Error).message.startsWith(prefix ?? '')).toBe(true);
  });
});

describe('tags', () => {
  it('rejects an invalid tag before any step, as docker does', async () => {
    const folder = await context({ Dockerfile: 'FROM busybox:latest\nRUN true\n' });
    const docker = promisify(execFile)('/usr/bin/docker', ['build', '-t', 'Bad:Tag:x', folder], {
      env: { ...process.env, DOCKER_BUILDKIT: '0' },
    });
    await expect(docker).rejects.toThrow(/repository name must be lowercase/);
    // build() directly: the test testFile.bench would try to remove the invalid tag afterwards.
    const events: BuildEvent[] = [];
    const building = build({
      contextDir: folder,
      tags: ['ok:1', 'Bad:Tag:x'],
      labels: testFile.bench.fixture.labels,
      cache: testFile.bench.cache,
      engine: testFile.bench.engine,
      onEvent: (event) => events.push(event),
    });
    await expect(building).rejects.toMatchObject({ code: 'ERR_INVALID_TAG' });
    await expect(building).rejects.toThrow('"Bad:Tag:x"');
    await expect(building).rejects.toThrow('repository name must be lowercase');
    expect(events.filter((event) => event.type === 'step-start')).toEqual([]);
  });
});

describe('multi-stage builds', () => {
  it('runs only the stages the target needs', async () => {
    const folder = await context({
      Dockerfile:
        'FROM busybox:latest AS base\nRUN echo base > /base\nFROM busybox:latest AS unused\nRUN echo unused\nFROM base AS app\nRUN cat /base\nFROM busybox:latest\nRUN echo last\n',
    });
    const built = await gantryBuild(testFile.bench, { contextDir: folder, target: 'app' });
    expect(built.error).toBeUndefined();
    const steps = built.events.flatMap((event) =>
      event.type === 'step-start' ? [event.instruction] : [],
    );
    expect(steps).toEqual([
      'FROM busybox:latest AS base',
      'RUN echo base > /base',
      'FROM base AS app',
      'RUN cat /base',
      `LABEL io.gantry.test=${testFile.bench.fixture.runId}`,
    ]);
  });

  it('rejects a target no stage has', async () => {
    const folder = await context({ Dockerfile: 'FROM busybox:latest AS base\n' });
    const built = await gantryBuild(testFile.bench, { contextDir: folder, target: 'nope' });
    expect((built.error as { code?: string }).code).toBe('ERR_TARGET_NOT_FOUND');
  });
});

describe('parallel stages', () => {
  const dockerfile =
    'FROM busybox:latest AS one\nRUN sleep 2 && echo one > /one\nFROM busybox:latest AS two\nRUN sleep 2 && echo two > /two\nFROM busybox:latest\nCOPY --from=one /one /one\nCOPY --from=two /two /two\n';

  it('runs independent stages at the same time', async () => {
    const folder = await context({ Dockerfile: dockerfile });
    const built = await gantryBuild(testFile.bench, {
      contextDir: folder,
      parallelStages: 2,
      noCache: true,
    });
    expect(built.error).toBeUndefined();
    const types = built.events.map((event) =>
      event.type === 'step-start' || event.type === 'step-done'
        ? `${event.type} ${event.step}`
        : '',
    );
    // Step 4 (the RUN of stage two) starts before step 2 (the RUN of stage one) is done.
    expect(types.indexOf('step-start 4')).toBeLessThan(types.indexOf('step-done 2'));
  });

  it('stops the other stages when one fails', async () => {
    const failing = dockerfile.replace('RUN sleep 2 && echo one > /one', 'RUN exit 7');
    const folder = await context({ Dockerfile: failing });
    const built = await gantryBuild(testFile.bench, {
      contextDir: folder,
      parallelStages: 2,
      noCache: true,
    });
    expect((built.error as StepFailedError).exitCode).toBe(7);
    const ids = containerIds(built.events);
    const left = await testFile.bench.engine.containers.list({ all: true });
    expect(left.filter((container) => ids.includes(container.Id))).toEqual([]);
  });
});
