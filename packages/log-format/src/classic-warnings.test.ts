import { describe, expect, test } from 'vitest';
import type { BuildEvent } from './events.js';
import { createRenderer } from './formats.js';

const base = { version: 1 as const, time: 0 };

/** A build whose Dockerfile has two instructions with empty continuation lines. */
const EVENTS: BuildEvent[] = [
  { ...base, type: 'build-start', contextSize: 2560, steps: 1, stages: 1 },
  {
    ...base,
    type: 'warning',
    rule: 'NoEmptyContinuation',
    message: 'empty continuation line at line 3',
    instruction: 'RUN echo a   && echo b',
  },
  {
    ...base,
    type: 'warning',
    rule: 'NoEmptyContinuation',
    message: 'empty continuation line at line 6',
    instruction: 'ENV X=1   Y=2',
  },
  {
    ...base,
    type: 'step-start',
    step: 1,
    steps: 1,
    stage: 0,
    stageStep: 1,
    stageSteps: 1,
    instruction: 'FROM busybox:latest',
  },
];

/** The engine's block, as Engine 20.10's classic builder sent it for that Dockerfile. */
const ENGINE_BLOCK =
  '\u001b[91m[WARNING]: Empty continuation line found in:\n    RUN echo a   && echo b\n' +
  '[WARNING]: Empty continuation line found in:\n    ENV X=1   Y=2\n' +
  '[WARNING]: Empty continuation lines will become errors in a future release.\n\u001b[0m';

function render(format: string): string[] {
  const renderer = createRenderer(format);
  return EVENTS.map((event) => renderer.render(event));
}

describe('empty continuation warnings', () => {
  test('classic prints the engine block before step 1', () => {
    const texts = render('classic');
    expect(texts[1]).toBe('');
    expect(texts[2]).toBe('');
    expect(texts[3]).toBe(`${ENGINE_BLOCK}Step 1/1 : FROM busybox:latest\n`);
  });

  test('engine-json sends the block as one stream message', () => {
    const texts = render('engine-json');
    const first = texts[3]?.split('\r\n')[0] ?? '';
    expect(JSON.parse(first)).toEqual({ stream: ENGINE_BLOCK });
  });

  test('classic keeps other warnings on their own line', () => {
    const renderer = createRenderer('classic');
    const text = renderer.render({
      ...base,
      type: 'warning',
      rule: 'UnusedBuildArg',
      message: 'One or more build-args [X] were not consumed',
    });
    expect(text).toBe('[Warning] One or more build-args [X] were not consumed\n');
  });

  test('classic words a HEALTHCHECK override as a note', () => {
    const renderer = createRenderer('classic');
    const text = renderer.render({
      ...base,
      type: 'warning',
      step: 3,
      rule: 'HealthcheckOverride',
      message: 'overriding previous HEALTHCHECK: [CMD-SHELL true]',
    });
    expect(text).toBe('Note: overriding previous HEALTHCHECK: [CMD-SHELL true]\n');
  });

  test('plain names the rule and line', () => {
    expect(render('plain')[1]).toBe(
      'WARN: NoEmptyContinuation: empty continuation line at line 3\n',
    );
  });

  test.each([
    ['empty continuation line (line 3, column 1)', 'empty continuation line (line 3, column 1)'],
    ['empty continuation line', 'empty continuation line (line 3)'],
  ])('plain names the line once: %s', (message, expected) => {
    const range = { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } };
    const text = createRenderer('plain').render({
      ...base,
      type: 'warning',
      rule: 'NoEmptyContinuation',
      message,
      range,
    });
    expect(text).toBe(`WARN: NoEmptyContinuation: ${expected}\n`);
  });
});
