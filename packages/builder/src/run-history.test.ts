/** RUN with build args: the image history and config, against the engine's classic builder. */
import { describe, expect, it } from 'vitest';
import { classicBuild, gantryBuild, useTestBench } from './test-engine.js';

const testFile = useTestBench();

async function historyOf(imageId: string): Promise<string[]> {
  const history = await testFile.bench.engine.images.history(imageId);
  return history.map((entry) => entry.CreatedBy);
}

describe('RUN history with build args', () => {
  it('records the classic created_by in an image without ENTRYPOINT', async () => {
    const dockerfile = [
      'FROM busybox:latest',
      'ARG VERSION=1.2',
      'RUN echo $VERSION > /version',
      'ENV DONE=1',
      '',
    ].join('\n');
    const folder = await testFile.context({ Dockerfile: dockerfile });
    const buildArgs = { VERSION: '1.3' };
    const classic = await classicBuild(testFile.bench, folder, { buildArgs, noCache: true });
    const gantry = await gantryBuild(testFile.bench, { contextDir: folder, buildArgs });
    expect(gantry.error).toBeUndefined();
    const gantryHistory = await historyOf(gantry.result?.imageId ?? '');
    expect(gantryHistory).toContain('|1 VERSION=1.3 /bin/sh -c echo $VERSION > /version');
    expect(gantryHistory).toEqual(await historyOf(classic.imageId ?? ''));
  });

  it('keeps the image config equal to the classic one', async () => {
    const dockerfile = ['FROM busybox:latest', 'ARG V=1', 'RUN echo $V', 'ENV E=2', ''].join('\n');
    const folder = await testFile.context({ Dockerfile: dockerfile });
    const classic = await classicBuild(testFile.bench, folder, { noCache: true });
    const gantry = await gantryBuild(testFile.bench, { contextDir: folder });
    const expected = await testFile.bench.engine.images.inspect(classic.imageId ?? '');
    const actual = await testFile.bench.engine.images.inspect(gantry.result?.imageId ?? '');
    expect(actual.Config?.Entrypoint).toEqual(expected.Config?.Entrypoint);
    expect(actual.Config?.Cmd).toEqual(expected.Config?.Cmd);
    expect(actual.Config?.Env).toEqual(expected.Config?.Env);
  });

  it('passes the build arg to the command', async () => {
    const dockerfile = 'FROM busybox:latest\nARG V=1\nRUN echo "v=$V"\nENV E=2\n';
    const folder = await testFile.context({ Dockerfile: dockerfile });
    const gantry = await gantryBuild(testFile.bench, { contextDir: folder, noCache: true });
    const output = gantry.events.flatMap((event) => (event.type === 'output' ? [event.data] : []));
    expect(output.join('')).toBe('v=1\n');
  });
});
