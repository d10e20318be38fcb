import type { Readable } from 'node:stream';
import type { EngineTestFixture } from '@gantry/testing';
import tarStream from 'tar-stream';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { type BuildMessage, collectBuild } from './builds.js';
import type { DockerEngine } from './docker-engine.js';
import { connectTestEngine } from './test-engine.js';

let engine: DockerEngine;
let fixture: EngineTestFixture;

beforeAll(async () => {
  ({ engine, fixture } = await connectTestEngine());
});
afterEach(() => fixture.cleanup());
afterAll(() => fixture.cleanup());

function context(files: Record<string, string>): Readable {
  const pack = tarStream.pack();
  for (const [name, content] of Object.entries(files)) {
    pack.entry({ name, mode: 0o644 }, content);
  }
  pack.finalize();
  return pack as unknown as Readable;
}

describe('classic build', () => {
  test('builds, tags and reports the image id', async () => {
    const tag = fixture.trackImage(`gantry-build-${fixture.runId}:v1`);
    const dockerfile = [
      'FROM busybox:latest',
      'ARG GREETING',
      'COPY hello.txt /hello.txt',
      'RUN echo "$GREETING" >> /hello.txt',
      'CMD ["cat", "/hello.txt"]',
    ].join('\n');
    const messages: BuildMessage[] = [];
    for await (const message of engine.builds.classic({
      context: context({ Dockerfile: dockerfile, 'hello.txt': 'hello\n' }),
      tags: [tag],
      buildArgs: { GREETING: 'from gantry' },
      labels: fixture.labels,
    })) {
      messages.push(message);
    }
    const log = messages.flatMap((message) => (message.kind === 'stream' ? [message.text] : []));
    expect(log[0]).toBe('Step 1/6 : FROM busybox:latest');
    expect(log.join('')).toContain('Step 4/6 : RUN echo "$GREETING" >> /hello.txt');
    expect(log.join('')).toContain(`Successfully tagged ${tag}\n`);
    const aux = messages.find((message) => message.kind === 'aux');
    expect(aux).toMatchObject({ kind: 'aux', imageId: expect.stringMatching(/^sha256:/) });

    const image = await engine.images.inspect(tag);
    expect(aux).toEqual({ kind: 'aux', imageId: image.Id });
    expect(image.Config?.Cmd).toEqual(['cat', '/hello.txt']);
    expect(image.Config?.Labels).toEqual(fixture.labels);
  });

  test('second build uses the cache', async () => {
    const files = { Dockerfile: 'FROM busybox:latest\nRUN echo cached > /c\n' };
    const labels = fixture.labels;
    const first = await collectBuild(engine.builds.classic({ context: context(files), labels }));
    fixture.trackImage(first.imageId ?? '');
    const second = await collectBuild(engine.builds.classic({ context: context(files), labels }));
    expect(second.imageId).toBe(first.imageId);
    expect(second.log).toContain(' ---> Using cache\n');
  });

  test('failing step is an error message', async () => {
    const files = { Dockerfile: 'FROM busybox:latest\nRUN exit 3\n' };
    const outcome = await collectBuild(
      engine.builds.classic({ context: context(files), labels: fixture.labels }),
    );
    expect(outcome.imageId).toBeUndefined();
    expect(outcome.error).toEqual({
      message: "The command '/bin/sh -c exit 3' returned a non-zero code: 3",
      code: 3,
    });
    const left = await engine.containers.list({ all: true });
    expect(left.filter((entry) => entry.Command === "/bin/sh -c 'exit 3'")).toEqual([]);
    expect(outcome.log).toContain('Step 2/3 : RUN exit 3');
  });

  test('abort stops the build and its container', async () => {
    const files = { Dockerfile: 'FROM busybox:latest\nRUN sleep 60\n' };
    const controller = new AbortController();
    const reason = new Error('build cancelled');
    const messages = engine.builds.classic({
      context: context(files),
      labels: fixture.labels,
      signal: controller.signal,
    });
    const outcome = (async () => {
      for await (const message of messages) {
        if (message.kind === 'stream' && message.text.includes('Running in')) {
          controller.abort(reason);
        }
      }
    })();
    await expect(outcome).rejects.toBe(reason);
    await expect.poll(() => sleepingContainers(), { timeout: 20_000 }).toEqual([]);
  });

  test('missing Dockerfile', async () => {
    const outcome = collectBuild(
      engine.builds.classic({ context: context({ 'a.txt': 'a' }), labels: fixture.labels }),
    );
    await expect(outcome).rejects.toMatchObject({ code: 'ERR_ENGINE', statusCode: 500 });
    await expect(outcome).rejects.toThrow(/Cannot locate specified Dockerfile: Dockerfile/);
  });
});

async function sleepingContainers(): Promise<string[]> {
  const all = await engine.containers.list({ all: true });
  return all.filter((entry) => entry.Command === "/bin/sh -c 'sleep 60'").map((entry) => entry.Id);
}
