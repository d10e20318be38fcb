import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { BuildEvent } from './events.js';
import { createRenderer, LOG_FORMATS } from './formats.js';
import { parseBuildEvent } from './parse-event.js';
import { createTtyRenderer } from './tty.js';

const step = fc.integer({ min: 1, max: 6 });
const time = fc.integer({ min: 0, max: 4_000_000_000_000 });
const text = fc.string({ unit: 'binary', maxLength: 40 });
const id = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 1, maxLength: 70 });
const position = fc.record({ line: fc.nat(), character: fc.nat() });
const range = fc.record({ start: position, end: position });
const purpose = fc.constantFrom('run' as const, 'commit' as const, 'copy' as const);
const base = { version: fc.constant(1 as const), time };

const outputData = fc.oneof(
  fc.record({ data: text, encoding: fc.constant('utf-8' as const) }),
  fc.uint8Array({ maxLength: 30 }).map((bytes) => ({
    data: btoa(String.fromCharCode(...bytes)),
    encoding: 'base64' as const,
  })),
);

/** Any event of the schema, including ones that refer to steps never started. */
const anyEvent: fc.Arbitrary<BuildEvent> = fc.oneof(
  fc.record(
    {
      ...base,
      type: fc.constant('build-start' as const),
      contextSize: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
      steps: fc.nat({ max: 6 }),
      stages: fc.nat({ max: 3 }),
    },
    { requiredKeys: ['version', 'time', 'type', 'steps', 'stages'] },
  ),
  fc
    .record(
      {
        ...base,
        type: fc.constant('step-start' as const),
        step,
        steps: step,
        stage: fc.nat({ max: 3 }),
        stageName: fc.string({ minLength: 1, maxLength: 8 }),
        stageStep: step,
        stageSteps: step,
        instruction: text,
        range,
      },
      { requiredKeys: ['version', 'time', 'type', 'step', 'steps', 'stage', 'stageStep'] },
    )
    .map((event) => ({ stageSteps: 1, instruction: 'RUN x', ...event })),
  fc.record({ ...base, type: fc.constant('step-cache-hit' as const), step }),
  fc.record({
    ...base,
    type: fc.constant('step-triggers' as const),
    step,
    count: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({
    ...base,
    type: fc.constant('step-cache-miss' as const),
    step,
    code: fc.constantFrom('cache-disabled' as const, 'no-entry' as const),
    reason: text,
  }),
  fc.record({
    ...base,
    type: fc.constant('container-created' as const),
    step,
    containerId: id,
    purpose,
  }),
  fc
    .tuple(
      fc.record({
        ...base,
        type: fc.constant('output' as const),
        step,
        stream: fc.constantFrom('stdout' as const, 'stderr' as const),
      }),
      outputData,
    )
    .map(([event, data]) => ({ ...event, ...data })),
  fc.record({
    ...base,
    type: fc.constant('container-removed' as const),
    step,
    containerId: id,
    purpose,
  }),
  fc.record({
    ...base,
    type: fc.constant('step-done' as const),
    step,
    imageId: id,
    durationMs: fc.nat(),
  }),
  fc.record(
    {
      ...base,
      type: fc.constant('warning' as const),
      message: text,
      step,
      rule: fc.constant('R'),
      range,
      instruction: text,
    },
    { requiredKeys: ['version', 'time', 'type', 'message'] },
  ),
  fc.record(
    {
      ...base,
      type: fc.constant('pull-progress' as const),
      step,
      image: fc.string({ minLength: 1, maxLength: 20 }),
      status: text,
      id: text,
      current: fc.nat(),
      total: fc.nat(),
      progress: text,
    },
    { requiredKeys: ['version', 'time', 'type', 'image', 'status'] },
  ),
  fc.record({
    ...base,
    type: fc.constant('build-done' as const),
    imageId: id,
    tags: fc.array(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 3 }),
    durationMs: fc.nat(),
  }),
  fc.record(
    {
      ...base,
      type: fc.constant('build-error' as const),
      message: text,
      step,
      exitCode: fc.integer({ min: -1, max: 255 }),
      command: fc.array(text, { maxLength: 3 }),
      range,
    },
    { requiredKeys: ['version', 'time', 'type', 'message'] },
  ),
);

const sequences = fc.array(anyEvent, { maxLength: 40 });

// Strips escape sequences to measure what the terminal shows.
// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences are what is removed
const ESCAPES = /\u001b\[[0-9;]*[A-Za-z]/g;

describe('renderers on any event sequence', () => {
  test.each(LOG_FORMATS)('%s renders strings without throwing', (format) => {
    fc.assert(
      fc.property(sequences, fc.boolean(), (events, isTerminal) => {
        const renderer = createRenderer(format, { isTerminal, columns: 50 });
        for (const event of events) {
          expect(typeof renderer.render(event)).toBe('string');
        }
      }),
      { numRuns: 300 },
    );
  });

  test('tty keeps live rows within the width', () => {
    fc.assert(
      fc.property(sequences, fc.integer({ min: 2, max: 120 }), (events, columns) => {
        const renderer = createTtyRenderer({ columns, color: true });
        let text = '';
        for (const event of events) {
          const chunk = renderer.render(event);
          text += withoutWholeLines(event, chunk);
          text += renderer.tick(event.time + 50);
        }
        for (const line of text.split('\n')) {
          const visible = line.replace(ESCAPES, '').split('\r').at(-1) ?? '';
          expect(Array.from(visible).length).toBeLessThan(columns);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('json output parses back to the same events', () => {
    fc.assert(
      fc.property(sequences, (events) => {
        const renderer = createRenderer('json');
        const lines = events.map((event) => renderer.render(event));
        expect(lines.map((line) => parseBuildEvent(line))).toEqual(events);
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * Drops the text that the tty view prints whole, a warning or the error
 * message, from an event's output. Neither is redrawn, so neither has to fit
 * the width. The error message ends on the line before the final header.
 */
function withoutWholeLines(event: BuildEvent, chunk: string): string {
  if (event.type === 'warning')
    return chunk.split(`\u001b[33mWARN: ${event.message}\u001b[0m\n`).join('');
  if (event.type !== 'build-error') return chunk;
  const start = chunk.indexOf('\u001b[31mERROR: ');
  const end = chunk.lastIndexOf('\n', chunk.length - 2) + 1;
  return start === -1 || end < start ? chunk : chunk.slice(0, start) + chunk.slice(end);
}
