import { describe, expect, test } from 'vitest';
import type { BuildEvent } from './events.js';
import { createPlainRenderer } from './plain.js';
import { createTtyRenderer } from './tty.js';

const base = { version: 1 as const, time: 1_000 };

function stepStart(step: number, instruction: string): BuildEvent {
  return {
    ...base,
    type: 'step-start',
    step,
    steps: 2,
    stage: 0,
    stageStep: step,
    stageSteps: 2,
    instruction,
  };
}

/** A build stopped (Ctrl-C) while its RUN step runs: the error names no step. */
const INTERRUPTED: BuildEvent[] = [
  { ...base, type: 'build-start', steps: 2, stages: 1 },
  stepStart(1, 'FROM busybox:latest'),
  { ...base, type: 'step-done', step: 1, imageId: `sha256:${'ab'.repeat(32)}`, durationMs: 5 },
  stepStart(2, 'RUN sleep 30'),
  { ...base, type: 'build-error', message: 'The build was interrupted (SIGINT)' },
];

function render(color: boolean): string {
  const renderer = createTtyRenderer({ columns: 60, rows: 20, color });
  return INTERRUPTED.map((event) => renderer.render(event)).join('');
}

/** Returns the lines after the last erase, which form the final frame the terminal keeps. */
function finalFrame(text: string): string[] {
  const last = text.lastIndexOf('\u001b[J');
  return text.slice(last + 3).split('\n');
}

describe('tty renderer after an interrupted build', () => {
  test('marks the running step CANCELED', () => {
    const lines = finalFrame(render(false));
    const step = lines.findIndex((line) => line.includes('[2/2] RUN sleep 30'));
    const error = lines.findIndex((line) => line.startsWith('ERROR:'));
    expect(lines[step]).toMatch(/^ => CANCELED \[2\/2\] RUN sleep 30 +0\.0s$/);
    expect(step).toBeLessThan(error);
  });

  test('counts only finished steps', () => {
    const lines = finalFrame(render(false));
    expect(lines).toContain('[+] Building 0.0s (1/2) FINISHED');
  });

  test('paints the canceled step yellow', () => {
    const text = render(true);
    expect(text).toContain('\u001b[33m => CANCELED [2/2] RUN sleep 30');
  });
});

describe('plain renderer after an interrupted build', () => {
  test('ends the running step CANCELED', () => {
    const renderer = createPlainRenderer();
    const text = INTERRUPTED.map((event) => renderer.render(event)).join('');
    expect(text).toBe(
      [
        '#1 [1/2] FROM busybox:latest',
        '#1 DONE 0.0s',
        '',
        '#2 [2/2] RUN sleep 30',
        '#2 CANCELED',
        '',
        'The build was interrupted (SIGINT)',
        '',
      ].join('\n'),
    );
  });
});
