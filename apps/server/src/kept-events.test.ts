import {
  BUILD_EVENT_SCHEMA_VERSION,
  type BuildEvent,
  encodeOutput,
  type OutputEvent,
} from '@gantry/log-format';
import { describe, expect, it } from 'vitest';
import {
  type KeptEntry,
  KeptEvents,
  OUTPUT_EVENT_COST,
  OUTPUT_OMITTED_RULE,
} from './kept-events.js';

const base = { version: BUILD_EVENT_SCHEMA_VERSION, time: 1 } as const;

function output(step: number, text: string): OutputEvent {
  return { ...base, type: 'output', step, stream: 'stdout', ...encodeOutput(Buffer.from(text)) };
}

function stepStart(step: number): BuildEvent {
  const fields = { stage: 0, stageStep: step, stageSteps: 9, instruction: `RUN ${step}` };
  return { ...base, type: 'step-start', step, steps: 9, ...fields };
}

/** Reads every kept entry in order, as a replay from the first event does. */
function replay(kept: KeptEvents): KeptEntry[] {
  const entries: KeptEntry[] = [];
  for (
    let entry = kept.entryFrom(0);
    entry !== undefined;
    entry = kept.entryFrom(entry.index + 1)
  ) {
    entries.push(entry);
  }
  return entries;
}

/** Returns a bound that keeps `chunks` output events of `size` bytes in each half. */
function boundFor(chunks: number, size: number): number {
  return 2 * chunks * (size + OUTPUT_EVENT_COST);
}

describe('KeptEvents', () => {
  it('keeps every event under the bound', () => {
    const kept = new KeptEvents(boundFor(4, 10));
    const events = [stepStart(1), output(1, 'ninebytes\n'), output(1, 'ninebytes\n')];
    for (const event of events) kept.push(event);
    expect(replay(kept).map((entry) => entry.event)).toEqual(events);
    expect(kept.count).toBe(3);
    expect(kept.omitted).toEqual({ bytes: 0, lines: 0 });
    expect(kept.firstOmittedIndex).toBeUndefined();
  });

  it('keeps the first and the last output past the bound', () => {
    const kept = new KeptEvents(boundFor(2, 10));
    kept.push(stepStart(1));
    for (let chunk = 0; chunk < 10; chunk++) kept.push(output(1, `chunk-${chunk}-\n`));
    const entries = replay(kept);
    const texts = entries.map((entry) => (entry.event.type === 'output' ? entry.event.data : '*'));
    expect(texts).toEqual(['*', 'chunk-0-\n', 'chunk-1-\n', '*', 'chunk-8-\n', 'chunk-9-\n']);
    expect(kept.count).toBe(11);
    expect(kept.firstOmittedIndex).toBe(3);
  });

  it('counts left-out bytes and lines', () => {
    const kept = new KeptEvents(boundFor(1, 10));
    for (let chunk = 0; chunk < 5; chunk++) kept.push(output(1, 'line\nline\n'));
    expect(kept.omitted).toEqual({ bytes: 30, lines: 6 });
  });

  it('puts the warning where the output was left out', () => {
    const kept = new KeptEvents(boundFor(1, 10));
    kept.push(output(1, 'first-out\n'));
    kept.push(output(1, 'left-out-\n'));
    kept.push(stepStart(2));
    kept.push(output(2, 'last-out-\n'));
    kept.push(output(2, 'newest---\n'));
    const entries = replay(kept);
    expect(entries.map((entry) => entry.index)).toEqual([0, 2, 3, 4]);
    expect(entries[1]?.event.type).toBe('step-start');
    const warning = entries[2];
    expect(warning?.omission).toBe(true);
    expect(warning?.event).toMatchObject({ type: 'warning', step: 2, rule: OUTPUT_OMITTED_RULE });
    const message = warning?.event.type === 'warning' ? warning.event.message : '';
    expect(message).toContain('20 bytes (2 lines) of step output were left out here');
  });

  it('keeps other events between left-out output', () => {
    const kept = new KeptEvents(boundFor(1, 4));
    kept.push(output(1, 'aaaa'));
    kept.push(output(1, 'bbbb'));
    kept.push(stepStart(2));
    kept.push(output(2, 'cccc'));
    kept.push(output(2, 'dddd'));
    kept.push(output(2, 'eeee'));
    const types = replay(kept).map((entry) => (entry.omission ? 'omitted' : entry.event.type));
    expect(types).toEqual(['output', 'step-start', 'omitted', 'output']);
    expect(kept.omitted.bytes).toBe(12);
  });

  it('keeps the newest event over the bound', () => {
    const kept = new KeptEvents(boundFor(1, 4));
    kept.push(output(1, 'aaaa'));
    kept.push(output(1, 'x'.repeat(1000)));
    expect(kept.entryFrom(1)?.event).toMatchObject({ data: 'x'.repeat(1000) });
    kept.push(output(1, 'bbbb'));
    expect(kept.entryFrom(1)?.omission).toBe(true);
    expect(kept.omitted.bytes).toBe(1000);
  });

  it('counts base64 output by its bytes', () => {
    const kept = new KeptEvents(boundFor(1, 4));
    const binary = output(1, '');
    kept.push(output(1, 'aaaa'));
    kept.push({ ...binary, ...encodeOutput(Uint8Array.from([0xff, 0x0a, 0xfe, 0x0a])) });
    kept.push(output(1, 'bbbb'));
    expect(kept.omitted).toEqual({ bytes: 4, lines: 2 });
  });

  it('holds no more output than the bound', () => {
    const bound = boundFor(8, 100);
    const kept = new KeptEvents(bound);
    for (let chunk = 0; chunk < 1000; chunk++) kept.push(output(1, `${'y'.repeat(99)}\n`));
    expect(kept.keptOutputCost).toBeLessThanOrEqual(bound);
    expect(kept.omitted).toEqual({ bytes: (1000 - 16) * 100, lines: 1000 - 16 });
    expect(replay(kept)).toHaveLength(17);
  });

  it('finds the next kept entry from a left-out index', () => {
    const kept = new KeptEvents(boundFor(1, 4));
    for (let chunk = 0; chunk < 6; chunk++) kept.push(output(1, 'zzzz'));
    expect(kept.entryFrom(2)).toMatchObject({ index: 4, omission: true });
    expect(kept.entryFrom(5)).toMatchObject({ index: 5, omission: false });
    expect(kept.entryFrom(6)).toBeUndefined();
  });
});
