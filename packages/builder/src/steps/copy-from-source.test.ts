import { type DockerEngine, EngineUnreachableError } from '@gantry/daemon';
import { describe, expect, it } from 'vitest';
import { gantryBuild, useTestBench } from '../test-engine.js';

const testFile = useTestBench();

describe('COPY --from source image', () => {
  it.each([
    ['never', 'does not exist locally and --pull=never is set'],
    ['missing', 'was not found locally or in its registry'],
  ] as const)('names the stages for a missing image with --pull=%s', async (pull, problem) => {
    // The pull goes to the registry on 127.0.0.1:5000, so no request leaves the machine.
    const reference = `127.0.0.1:5000/gantry-builder-from/absent:${testFile.bench.fixture.runId}`;
    const dockerfile = `FROM busybox:latest AS build\nFROM busybox:latest\nCOPY --from=${reference} /a /a\n`;
    const folder = await testFile.context({ Dockerfile: dockerfile });
    const gantry = await gantryBuild(testFile.bench, { contextDir: folder, pull });
    expect(gantry.error).toMatchObject({ code: 'ERR_COPY_SOURCE' });
    const instruction = `COPY --from=${reference} /a /a`;
    expect(gantry.error).toMatchObject({ location: { instruction } });
    const message = (gantry.error as Error).message;
    expect(message).toMatch(/^COPY failed: /);
    expect(message).toContain(`--from=${reference} names no stage of this Dockerfile`);
    expect(message).toContain(problem);
    expect(message).toContain('check the stage name, or pull or build the image first');
  });

  it('passes on an unreachable engine rather than blaming the stage name', async () => {
    // The real engine, except that inspecting the --from image fails as a dropped connection does.
    const { engine } = testFile.bench;
    const unreachable = new EngineUnreachableError(
      'unix:///var/run/docker.sock',
      'reset by the test',
    );
    const images = new Proxy(engine.images, {
      get: (target, name) =>
        name === 'inspect'
          ? async (reference: string, options?: object) =>
              reference === 'debian:bookworm'
                ? Promise.reject(unreachable)
                : target.inspect(reference, options)
          : Reflect.get(target, name, target),
    });
    const failing = new Proxy(engine, {
      get: (target, name) => (name === 'images' ? images : Reflect.get(target, name, target)),
    }) as DockerEngine;
    const dockerfile = 'FROM busybox:latest\nCOPY --from=debian:bookworm /etc/hostname /h\n';
    const folder = await testFile.context({ Dockerfile: dockerfile });
    const gantry = await gantryBuild(
      { ...testFile.bench, engine: failing },
      { contextDir: folder, pull: 'never' },
    );
    expect(gantry.error).toBe(unreachable);
  });
});
