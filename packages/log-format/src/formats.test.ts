import { describe, expect, test } from 'vitest';
import type { BuildEvent } from './events.js';
import { createRenderer } from './formats.js';
import { renderEvents } from './renderer.js';

const stepStart: BuildEvent = {
  version: 1,
  type: 'step-start',
  time: 0,
  step: 1,
  steps: 1,
  stage: 0,
  stageStep: 1,
  stageSteps: 1,
  instruction: 'FROM busybox',
};

describe('createRenderer', () => {
  test('auto is plain off a terminal', () => {
    expect(createRenderer('auto').render(stepStart)).toBe('#1 [1/1] FROM busybox\n');
  });

  test('tick exists on tty only', () => {
    const tty = createRenderer('auto', { isTerminal: true });
    tty.render(stepStart);

    expect(tty.tick?.(1500)).toContain('[+] Building 1.5s');
    expect(createRenderer('auto').tick).toBeUndefined();
  });

  test('auto is tty on a terminal', () => {
    const text = createRenderer('auto', { isTerminal: true }).render(stepStart);

    expect(text).toContain('[+] Building 0.0s (0/0)');
    expect(text).toContain(' => [1/1] FROM busybox');
  });

  test('tty colour follows NO_COLOR', () => {
    const done: BuildEvent = {
      version: 1,
      type: 'step-done',
      time: 5,
      step: 1,
      imageId: 'sha256:1',
      durationMs: 5,
    };
    const colored = createRenderer('tty', { isTerminal: true });
    const plain = createRenderer('tty', { isTerminal: true, env: { NO_COLOR: '1' } });
    colored.render(stepStart);
    plain.render(stepStart);

    expect(colored.render(done)).toContain('\u001b[34m');
    expect(plain.render(done)).not.toContain('\u001b[34m');
  });

  test('unknown format names the choices', () => {
    expect(() => createRenderer('fancy')).toThrow(
      'Unknown log format "fancy"; expected one of classic, plain, tty, auto, json, engine-json, quiet.',
    );
  });
});

test('renderEvents yields non-empty text chunks', async () => {
  const chunks: string[] = [];
  for await (const chunk of renderEvents([stepStart, stepStart], createRenderer('quiet'))) {
    chunks.push(chunk);
  }
  const classic: string[] = [];
  for await (const chunk of renderEvents([stepStart], createRenderer('classic'))) {
    classic.push(chunk);
  }

  expect(chunks).toEqual([]);
  expect(classic).toEqual(['Step 1/1 : FROM busybox\n']);
});
