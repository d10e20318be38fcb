/**
 * The aux messages of a multi-stage build on `POST /build`, against what the
 * engine's classic builder (Engine 20.10, API 1.41) sends for the same
 * context: one `{"aux":{"ID":...}}` after the last step of every stage it
 * builds, before the next stage's first step.
 */
import { Readable } from 'node:stream';
import { ConflictError, ImageNotFoundError } from '@gantry/daemon';
import { describe, expect, it } from 'vitest';
import {
  buildQuery,
  postContext,
  type TestServer,
  tarContext,
  useTestServer,
} from './test-server.js';

const test = useTestServer();

/** One message of a `/build` stream. */
interface EngineMessage {
  readonly stream?: string;
  readonly aux?: { readonly ID: string };
}

/**
 * Stages `base`, `mid` and `final`, each needed by the next, and `skipped`
 * after the target `final`, which neither the engine nor gantry builds.
 */
const NEEDED_STAGES = [
  'FROM busybox:latest AS base',
  'RUN echo base > /base',
  'FROM base AS mid',
  'RUN echo mid > /mid',
  'FROM mid AS final',
  'COPY --from=base /base /copy',
  'RUN echo final',
  'FROM busybox:latest AS skipped',
  'RUN echo skipped',
  '',
].join('\n');

/** `NEEDED_STAGES` with stage `unrelated`, which `final` does not need, after `base`. */
const UNRELATED_STAGE = NEEDED_STAGES.replace(
  'FROM base AS mid',
  'FROM busybox:latest AS unrelated\nRUN echo unrelated > /u\nFROM base AS mid',
);

describe('POST /build aux messages', () => {
  it('sends one per stage, as the engine does', async () => {
    const engine = await engineBuild(test, NEEDED_STAGES);
    const gantry = await gantryBuild(test, NEEDED_STAGES);

    expect(shapesOf(gantry)).toEqual(shapesOf(engine));
    expect(gantry.filter((message) => message.aux !== undefined)).toHaveLength(3);
    expectAuxAfterItsStep(gantry);
  });

  it('sends none for a stage the target does not need', async () => {
    const engine = await engineBuild(test, UNRELATED_STAGE);
    const gantry = await gantryBuild(test, UNRELATED_STAGE);

    // gantry builds only the stages the target needs, so `unrelated` and its aux are left out.
    const withoutUnrelated = withoutStage(shapesOf(engine), 'FROM busybox:latest AS unrelated');
    expect(shapesOf(gantry)).toEqual(withoutNumbers(withoutUnrelated));
    expect(shapesOf(engine).filter((shape) => shape === 'aux')).toHaveLength(4);
    expectAuxAfterItsStep(gantry);
  });
});

/**
 * Builds a Dockerfile with `target=final` on the engine itself, removes the
 * images, and returns its messages.
 */
async function engineBuild(server: TestServer, dockerfile: string): Promise<EngineMessage[]> {
  const context = Readable.from(await tarContext({ Dockerfile: dockerfile }));
  const { labels } = server.fixture;
  const build = server.engine.builds.classic({ context, labels, target: 'final', noCache: true });
  const messages: EngineMessage[] = [];
  try {
    for await (const message of build) {
      if (message.kind === 'stream') messages.push({ stream: message.text });
      if (message.kind === 'aux') messages.push({ aux: { ID: message.imageId } });
    }
  } finally {
    await removeEngineImages(server, messages);
  }
  return messages;
}

/** Builds a Dockerfile with `target=final` on gantry-server and returns its messages. */
async function gantryBuild(server: TestServer, dockerfile: string): Promise<EngineMessage[]> {
  const context = await tarContext({ Dockerfile: dockerfile });
  const query = buildQuery(server.fixture, { target: 'final', nocache: '1' });
  const response = await postContext(server, `/v1.41/build?${query}`, context);
  expect(response.status).toBe(200);
  const lines = (await response.text()).split('\r\n').filter((line) => line !== '');
  return lines.map((line) => JSON.parse(line) as EngineMessage);
}

/**
 * Removes the images of an engine build, newest first, so that each has no
 * child left. The base image, which a FROM line names, is kept.
 */
async function removeEngineImages(server: TestServer, messages: readonly EngineMessage[]) {
  const base = await server.engine.images.inspect('busybox:latest');
  const imageIds = messages.flatMap((message) => {
    const short = /^ ---> ([0-9a-f]{12})\n$/.exec(message.stream ?? '')?.[1];
    return short === undefined ? [] : [short];
  });
  for (const imageId of [...new Set(imageIds)].reverse()) {
    if (base.Id.startsWith(`sha256:${imageId}`)) continue;
    try {
      await server.engine.images.remove(imageId, { force: true });
    } catch (error) {
      // Removing an image removes its untagged parents too, so a later id may be gone.
      if (!(error instanceof ImageNotFoundError) && !(error instanceof ConflictError)) throw error;
    }
  }
}

/** Returns each message as its stream text with ids replaced by `<id>`, or `aux`. */
function shapesOf(messages: readonly EngineMessage[]): string[] {
  return messages.map((message) =>
    message.aux === undefined ? (message.stream ?? '').replace(/\b[0-9a-f]{12}\b/g, '<id>') : 'aux',
  );
}

/** Removes the messages of the stage whose FROM step line ends with `from`, its aux included. */
function withoutStage(shapes: readonly string[], from: string): string[] {
  const start = shapes.findIndex((shape) => shape.endsWith(` : ${from}`));
  const end = shapes.indexOf('aux', start);
  expect(start).toBeGreaterThan(-1);
  return [...shapes.slice(0, start), ...shapes.slice(end + 1)];
}

/** Renumbers the `Step N/M` lines from 1, as a build without the removed steps counts them. */
function withoutNumbers(shapes: readonly string[]): string[] {
  const steps = shapes.filter((shape) => /^Step \d+\/\d+ : /.test(shape)).length;
  let step = 0;
  return shapes.map((shape) =>
    shape.replace(/^Step \d+\/\d+ : /, () => {
      step += 1;
      return `Step ${step}/${steps} : `;
    }),
  );
}

/** Expects each aux message to carry the image of the ` ---> <id>` line just before it. */
function expectAuxAfterItsStep(messages: readonly EngineMessage[]): void {
  for (const [index, message] of messages.entries()) {
    if (message.aux === undefined) continue;
    expect(message.aux.ID).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(messages[index - 1]?.stream).toBe(` ---> ${message.aux.ID.slice(7, 19)}\n`);
  }
}
