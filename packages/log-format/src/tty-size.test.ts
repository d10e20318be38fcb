import { describe, expect, test } from 'vitest';
import type { BuildEvent } from './events.js';
import { createRenderer } from './formats.js';
import { createTtyRenderer } from './tty.js';

const base = { version: 1 as const, time: 1_000 };

const EVENTS: BuildEvent[] = [
  { ...base, type: 'build-start', steps: 1, stages: 1 },
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
  { ...base, type: 'step-done', step: 1, imageId: `sha256:${'ab'.repeat(32)}`, durationMs: 5 },
];

function renderAll(renderer: { render(event: BuildEvent): string }): string {
  return EVENTS.map((event) => renderer.render(event)).join('');
}

describe('tty renderer on a terminal of unknown size', () => {
  test('0 columns prints the plain output', () => {
    const plain = renderAll(createRenderer('plain'));
    expect(renderAll(createTtyRenderer({ columns: 0, rows: 0 }))).toBe(plain);
  });

  test('auto on a 0x0 terminal prints the plain output', () => {
    const text = renderAll(createRenderer('auto', { isTerminal: true, columns: 0, rows: 0 }));
    expect(text).toContain('#1 [1/1] FROM busybox:latest\n');
    expect(text).not.toMatch(/^\[$/m);
  });

  test('0 rows keeps the live view unbounded', () => {
    const text = renderAll(createTtyRenderer({ columns: 60, rows: 0, color: false }));
    expect(text).toContain('=> [1/1] FROM busybox:latest');
  });
});

describe('tty renderer on a narrow terminal', () => {
  test('prints the whole error line', () => {
    const renderer = createTtyRenderer({ columns: 40, color: false });
    const command = ['/bin/sh', '-c', 'apt-get install -y a-package-that-is-missing'];
    const failed: BuildEvent = {
      ...base,
      type: 'build-error',
      step: 1,
      exitCode: 100,
      command,
      message: `The command '${command.join(' ')}' returned a non-zero code: 100`,
    };
    const text = [...EVENTS.slice(0, 2), failed].map((event) => renderer.render(event)).join('');
    const line = text.split('\n').find((row) => row.includes('ERROR:')) ?? '';
    expect(line).toContain(`[${command.join(' ')}]`);
    expect(line.endsWith('exit code: 100')).toBe(true);
  });

  test('prints the whole warning line', () => {
    const renderer = createTtyRenderer({ columns: 40, color: false });
    const message =
      'empty continuation line: remove the empty line or end the instruction before it (line 3, column 1)';
    const warning: BuildEvent = { ...base, type: 'warning', rule: 'NoEmptyContinuation', message };
    const text = [...EVENTS.slice(0, 2), warning].map((event) => renderer.render(event)).join('');
    expect(text).toContain(`WARN: ${message}\n`);
  });
});
