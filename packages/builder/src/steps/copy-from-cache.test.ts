import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import type { BuildEvent } from '@gantry/log-format';
import { describe, expect, it } from 'vitest';
import { classicBuild, gantryBuild, useTestBench } from '../test-engine.js';

const testFile = useTestBench();

/**
 * Returns a Dockerfile with a source stage whose RUN reads `STAMP`, so each
 * value makes a new image, and a final stage that copies `/out` from it.
 * `files` is the shell command that fills `/out`.
 */
function twoStages(files: string): string {
  return [
    'FROM busybox:latest AS source',
    'ARG STAMP',
    `RUN mkdir /out && ${files} && echo "$STAMP" > /stamp`,
    'FROM busybox:latest',
    'COPY --from=source /out /out',
    'RUN echo copied',
    '',
  ].join('\n');
}

function cacheEvents(events: readonly BuildEvent[]) {
  return events.flatMap((event) =>
    event.type === 'step-cache-hit' || event.type === 'step-cache-miss' ? [event] : [],
  );
}

/** Returns the cache event of a step: hit, or the miss with its reason. */
function cacheOf(events: readonly BuildEvent[], step: number) {
  return cacheEvents(events).find((event) => event.step === step);
}

/** Returns the id of the image a step made. */
function stepImage(events: readonly BuildEvent[], step: number): string {
  const done = events.find((event) => event.type === 'step-done' && event.step === step);
  return done?.type === 'step-done' ? done.imageId : '';
}

/**
 * Counts the engine's container events of one kind (`create`, `archive-path`
 * for an archive read) for containers of an image since `since` (seconds, with a fraction).
 */
async function containerEvents(imageId: string, event: string, since: number): Promise<number> {
  const until = Math.floor(Date.now() / 1000) + 1;
  const { stdout } = await promisify(execFile)('/usr/bin/docker', [
    'events',
    ...['--since', since.toFixed(3), '--until', String(until)],
    ...['--filter', 'type=container', '--filter', `event=${event}`],
    ...['--filter', `image=${imageId}`, '--format', '{{.Action}}'],
  ]);
  return stdout.split('\n').filter((line) => line !== '').length;
}

async function containersCreatedFrom(imageId: string, since: number): Promise<number> {
  return containerEvents(imageId, 'create', since);
}

describe('COPY --from cache', () => {
  it('hits when the source stage changes but its files do not', async () => {
    const contextDir = await testFile.context({ Dockerfile: twoStages('echo hi > /out/a') });
    const first = await gantryBuild(testFile.bench, { contextDir, buildArgs: { STAMP: '1' } });
    expect(first.error).toBeUndefined();
    const again = await gantryBuild(testFile.bench, { contextDir, buildArgs: { STAMP: '2' } });
    expect(again.error).toBeUndefined();
    expect(cacheOf(again.events, 3)?.type).toBe('step-cache-miss');
    expect(cacheOf(again.events, 5)?.type).toBe('step-cache-hit');
    expect(cacheOf(again.events, 6)?.type).toBe('step-cache-hit');
    expect(again.result?.imageId).toBe(first.result?.imageId);
  });

  it('matches the classic builder, which hits too', async () => {
    const contextDir = await testFile.context({ Dockerfile: twoStages('echo hi > /out/a') });
    const stamp = randomUUID();
    await classicBuild(testFile.bench, contextDir, { buildArgs: { STAMP: `${stamp}-1` } });
    const again = await classicBuild(testFile.bench, contextDir, {
      buildArgs: { STAMP: `${stamp}-2` },
    });
    expect(again.error).toBeUndefined();
    const steps = again.log.split(/^Step /m);
    expect(steps[3]).not.toContain('Using cache');
    expect(steps[5]).toContain('Using cache');
  });

  it('hits on the image id without reading the files', async () => {
    const contextDir = await testFile.context({ Dockerfile: twoStages('echo hi > /out/a') });
    const first = await gantryBuild(testFile.bench, { contextDir, buildArgs: { STAMP: '1' } });
    const since = Date.now() / 1000;
    const again = await gantryBuild(testFile.bench, { contextDir, buildArgs: { STAMP: '1' } });
    expect(cacheOf(again.events, 5)?.type).toBe('step-cache-hit');
    // Reading the files takes a container from the source stage's image.
    const sourceImage = stepImage(first.events, 3);
    expect(await containersCreatedFrom(sourceImage, since)).toBe(0);
  });

  it('uses one source container on a miss', async () => {
    const contextDir = await testFile.context({ Dockerfile: twoStages('echo hi > /out/a') });
    const since = Date.now() / 1000;
    const first = await gantryBuild(testFile.bench, { contextDir, buildArgs: { STAMP: '1' } });
    expect(cacheOf(first.events, 5)?.type).toBe('step-cache-miss');
    // The read for the key and the copy share one container, and one archive read.
    const sourceImage = stepImage(first.events, 3);
    expect(await containersCreatedFrom(sourceImage, since)).toBe(1);
    expect(await containerEvents(sourceImage, 'archive-path', since)).toBe(1);
  });

  const changes = [
    ['content', 'echo "$STAMP" > /out/a && echo same > /out/b'],
    ['owner', 'echo hi > /out/a && chown "$STAMP" /out/a'],
  ] as const;

  it.each(changes)('names the file whose %s changed', async (_change, files) => {
    const contextDir = await testFile.context({ Dockerfile: twoStages(files) });
    await gantryBuild(testFile.bench, { contextDir, buildArgs: { STAMP: '1' } });
    const again = await gantryBuild(testFile.bench, { contextDir, buildArgs: { STAMP: '2' } });
    expect(cacheOf(again.events, 5)).toMatchObject({
      type: 'step-cache-miss',
      code: 'source-changed',
      reason: '1 file changed under out/: a',
    });
  });

  it('misses when a file appears beside a wildcard match', async () => {
    const dockerfile = twoStages('echo hi > /out/a.txt && echo "$STAMP" > /out/b.log').replace(
      '/out /out',
      '/out/*.txt /out/',
    );
    const contextDir = await testFile.context({ Dockerfile: dockerfile });
    await gantryBuild(testFile.bench, { contextDir, buildArgs: { STAMP: '1' } });
    const again = await gantryBuild(testFile.bench, { contextDir, buildArgs: { STAMP: '2' } });
    // The whole folder above the wildcard enters the key, so this misses where the classic builder hits.
    expect(cacheOf(again.events, 5)?.type).toBe('step-cache-miss');
  });
});

describe('COPY --from history', () => {
  const cases = [
    ['a file', 'COPY --from=source /out/a /x'],
    ['a folder', 'COPY --from=source /out /x'],
    ['a wildcard with one match', 'COPY --from=source /out/a* /x/'],
    ['a wildcard with two matches', 'COPY --from=source /out/* /x/'],
    ['two sources', 'COPY --from=source /out/a /out/b /x/'],
  ] as const;

  /** Returns the history line of an image's last step with its hash cut off. */
  async function lastStepKind(imageId: string | undefined): Promise<string | undefined> {
    const history = await testFile.bench.engine.images.history(imageId ?? '');
    return history[0]?.CreatedBy.replace(/:[0-9a-f]{64} /, ': ');
  }

  it.each(cases)('names %s as the classic builder does', async (_name, copy) => {
    const dockerfile = [
      'FROM busybox:latest AS source',
      'RUN mkdir /out && echo a > /out/a && echo b > /out/b',
      'FROM busybox:latest',
      copy,
      '',
    ].join('\n');
    const contextDir = await testFile.context({ Dockerfile: dockerfile });
    // No labels: a LABEL step would come last in the history.
    const built = await gantryBuild(testFile.bench, { contextDir, noCache: true, labels: {} });
    expect(built.error).toBeUndefined();
    const classic = await classicBuild(testFile.bench, contextDir, { noCache: true, labels: {} });
    expect(classic.error).toBeUndefined();
    const expected = await lastStepKind(classic.imageId);
    expect(expected).toMatch(/^\/bin\/sh -c #\(nop\) COPY (file|dir|multi): in /);
    expect(await lastStepKind(built.result?.imageId)).toBe(expected);
  });
});
