/**
 * The aux messages of a multi-stage build in the engine-json stream. The
 * expected messages are what Engine 20.10.24 (API 1.41) sent for
 * `POST /v1.41/build?target=final&nocache=1&labels=...` and the builds below.
 * Ids are replaced by `<id>` and `<full>`, and the tag is shortened to
 * `gantry-aux-capture`. The engine sends one aux message after the last step
 * of every stage it builds, the final one before `Successfully built`. The
 * classic builder runs every stage before the target, so stage `unrelated`,
 * which `final` does not need, is built and gets one too.
 */
import { describe, expect, it } from 'vitest';
import { createClassicRenderer } from './classic.js';
import { createEngineJsonRenderer } from './engine-json.js';
import type { BuildEvent } from './events.js';
import type { Renderer } from './renderer.js';

/** How a test step runs, which decides the events it emits. */
type StepKind = 'from' | 'run' | 'copy' | 'cached';

/** One step of a test build: its instruction, the step count of its stage, and how it runs. */
interface TestStep {
  readonly instruction: string;
  readonly stageSteps: number;
  readonly kind: StepKind;
  /** Standard output of a RUN step. */
  readonly output?: string;
}

/** Stages of `FROM busybox AS base`, `unrelated`, `mid` (from base) and `final` (from mid). */
const THREE_STAGES: readonly (readonly TestStep[])[] = [
  [from('FROM busybox:latest AS base', 2), run('RUN echo base > /base', 2)],
  [from('FROM busybox:latest AS unrelated', 2), run('RUN echo u > /u', 2)],
  [from('FROM base AS mid', 2), run('RUN echo mid > /mid', 2)],
  [
    from('FROM mid AS final', 4),
    { instruction: 'COPY --from=base /base /copy', stageSteps: 4, kind: 'copy' },
    run('RUN echo final', 4, 'final\n'),
    run('LABEL io.gantry.test=parents-aux-capture', 4),
  ],
];

/**
 * What the engine sent for {@link THREE_STAGES} with `target=final`, which
 * skips stage `skipped` after it.
 */
const THREE_STAGES_MESSAGES = [
  ...['Step 1/10 : FROM busybox:latest AS base', '\n', ' ---> <id>\n'],
  ...['Step 2/10 : RUN echo base > /base', '\n', ' ---> Running in <id>\n'],
  ...['Removing intermediate container <id>\n', ' ---> <id>\n', 'aux sha256:<full>'],
  ...['Step 3/10 : FROM busybox:latest AS unrelated', '\n', ' ---> <id>\n'],
  ...['Step 4/10 : RUN echo u > /u', '\n', ' ---> Running in <id>\n'],
  ...['Removing intermediate container <id>\n', ' ---> <id>\n', 'aux sha256:<full>'],
  ...['Step 5/10 : FROM base AS mid', '\n', ' ---> <id>\n'],
  ...['Step 6/10 : RUN echo mid > /mid', '\n', ' ---> Running in <id>\n'],
  ...['Removing intermediate container <id>\n', ' ---> <id>\n', 'aux sha256:<full>'],
  ...['Step 7/10 : FROM mid AS final', '\n', ' ---> <id>\n'],
  ...['Step 8/10 : COPY --from=base /base /copy', '\n', ' ---> <id>\n'],
  ...['Step 9/10 : RUN echo final', '\n', ' ---> Running in <id>\n', 'final\n'],
  ...['Removing intermediate container <id>\n', ' ---> <id>\n'],
  ...['Step 10/10 : LABEL io.gantry.test=parents-aux-capture', '\n', ' ---> Running in <id>\n'],
  ...['Removing intermediate container <id>\n', ' ---> <id>\n', 'aux sha256:<full>'],
  ...['Successfully built <id>\n', 'Successfully tagged gantry-aux-capture:latest\n'],
];

/** Stages of `FROM busybox AS a` and an unnamed stage that copies from it, all cached. */
const TWO_STAGES_CACHED: readonly (readonly TestStep[])[] = [
  [from('FROM busybox:latest AS a', 2), cached('RUN echo a > /a', 2)],
  [
    from('FROM busybox:latest', 4),
    cached('COPY --from=a /a /a', 4),
    cached('RUN echo done', 4),
    cached('LABEL io.gantry.test=parents-aux-capture', 4),
  ],
];

/** What the engine sent for {@link TWO_STAGES_CACHED}. */
const TWO_STAGES_CACHED_MESSAGES = [
  ...['Step 1/6 : FROM busybox:latest AS a', '\n', ' ---> <id>\n'],
  ...['Step 2/6 : RUN echo a > /a', '\n', ' ---> Using cache\n', ' ---> <id>\n'],
  'aux sha256:<full>',
  ...['Step 3/6 : FROM busybox:latest', '\n', ' ---> <id>\n'],
  ...['Step 4/6 : COPY --from=a /a /a', '\n', ' ---> Using cache\n', ' ---> <id>\n'],
  ...['Step 5/6 : RUN echo done', '\n', ' ---> Using cache\n', ' ---> <id>\n'],
  ...['Step 6/6 : LABEL io.gantry.test=parents-aux-capture', '\n', ' ---> Using cache\n'],
  ...[' ---> <id>\n', 'aux sha256:<full>'],
  ...['Successfully built <id>\n', 'Successfully tagged gantry-aux-capture:latest\n'],
];

describe('ClassicTranscript aux messages', () => {
  it('sends one per stage built', () => {
    const events = buildEvents(THREE_STAGES);
    expect(engineMessages(events)).toEqual(THREE_STAGES_MESSAGES);
  });

  it('sends each stage its image id', () => {
    const events = buildEvents(THREE_STAGES);
    const auxIds = auxImageIds(render(events, createEngineJsonRenderer()));
    expect(auxIds).toEqual([imageIdOf(2), imageIdOf(4), imageIdOf(6), imageIdOf(10)]);
  });

  it('sends one per cached stage', () => {
    const events = buildEvents(TWO_STAGES_CACHED);
    expect(engineMessages(events)).toEqual(TWO_STAGES_CACHED_MESSAGES);
  });

  it('sends the base image of a FROM-only stage', () => {
    const events = buildEvents([[from('FROM busybox:latest AS only-from', 1)]]);
    expect(engineMessages(events)).toEqual([
      ...['Step 1/1 : FROM busybox:latest AS only-from', '\n', ' ---> <id>\n'],
      ...['aux sha256:<full>', 'Successfully built <id>\n'],
      'Successfully tagged gantry-aux-capture:latest\n',
    ]);
    expect(auxImageIds(render(events, createEngineJsonRenderer()))).toEqual([imageIdOf(1)]);
  });

  it('leaves the classic text unchanged', () => {
    const text = render(buildEvents(THREE_STAGES), createClassicRenderer());
    const streams = THREE_STAGES_MESSAGES.filter((message) => !message.startsWith('aux '));
    expect(withoutIds(text)).toBe(streams.join(''));
  });
});

function from(instruction: string, stageSteps: number): TestStep {
  return { instruction, stageSteps, kind: 'from' };
}

function run(instruction: string, stageSteps: number, output?: string): TestStep {
  return output === undefined
    ? { instruction, stageSteps, kind: 'run' }
    : { instruction, stageSteps, kind: 'run', output };
}

function cached(instruction: string, stageSteps: number): TestStep {
  return { instruction, stageSteps, kind: 'cached' };
}

/** Returns the image id a test build gives step `step`: `sha256:` and 64 hex digits. */
function imageIdOf(step: number): string {
  return `sha256:${step.toString(16).padStart(2, '0').repeat(32)}`;
}

/** Returns the events of a build that runs the stages in order, tagged `gantry-aux-capture`. */
function buildEvents(stages: readonly (readonly TestStep[])[]): BuildEvent[] {
  const steps = stages.flat().length;
  const events: BuildEvent[] = [{ version: 1, time: 0, type: 'build-start', steps, stages: 1 }];
  let number = 0;
  for (const [stage, stageSteps] of stages.entries()) {
    for (const [index, step] of stageSteps.entries()) {
      number += 1;
      const place = { stage, stageStep: index + 1, stageSteps: step.stageSteps };
      events.push(...stepEvents(number, steps, place, step));
    }
  }
  const imageId = imageIdOf(number);
  const tags = ['gantry-aux-capture'];
  events.push({ version: 1, time: 0, type: 'build-done', imageId, tags, durationMs: 1 });
  return events;
}

/** Returns the events of one step, as the builder emits them. */
function stepEvents(
  step: number,
  steps: number,
  place: { stage: number; stageStep: number; stageSteps: number },
  testStep: TestStep,
): BuildEvent[] {
  const base = { version: 1 as const, time: 0 };
  const { instruction, kind, output } = testStep;
  const events: BuildEvent[] = [
    { ...base, type: 'step-start', step, steps, ...place, instruction },
  ];
  if (kind === 'cached') events.push({ ...base, type: 'step-cache-hit', step });
  if (kind === 'run' || kind === 'copy') {
    const container = { step, containerId: 'c'.repeat(62) + step.toString(16).padStart(2, '0') };
    events.push({ ...base, type: 'container-created', ...container, purpose: kind });
    if (output !== undefined) {
      const data = { stream: 'stdout' as const, data: output, encoding: 'utf-8' as const };
      events.push({ ...base, type: 'output', step, ...data });
    }
    events.push({ ...base, type: 'container-removed', ...container, purpose: kind });
  }
  events.push({ ...base, type: 'step-done', step, imageId: imageIdOf(step), durationMs: 1 });
  return events;
}

function render(events: readonly BuildEvent[], renderer: Renderer): string {
  return events.map((event) => renderer.render(event)).join('');
}

/**
 * Returns the engine-json messages of a build as texts: a stream message's
 * text, or `aux ` and the image id, with ids replaced as in the captures.
 */
function engineMessages(events: readonly BuildEvent[]): string[] {
  const lines = render(events, createEngineJsonRenderer()).split('\r\n');
  return lines
    .filter((line) => line !== '')
    .map((line) => {
      const message = JSON.parse(line) as { stream?: string; aux?: { ID: string } };
      return withoutIds(
        message.aux === undefined ? (message.stream ?? '') : `aux ${message.aux.ID}`,
      );
    });
}

function auxImageIds(engineJson: string): string[] {
  const messages = engineJson.split('\r\n').filter((line) => line.startsWith('{"aux"'));
  return messages.map((line) => (JSON.parse(line) as { aux: { ID: string } }).aux.ID);
}

/** Replaces full image ids with `<full>` and short image and container ids with `<id>`. */
function withoutIds(text: string): string {
  return text.replace(/\b[0-9a-f]{64}\b/g, '<full>').replace(/\b[0-9a-f]{12}\b/g, '<id>');
}
