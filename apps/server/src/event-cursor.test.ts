import { BUILD_EVENT_SCHEMA_VERSION, type OutputEvent } from '@gantry/log-format';
import { describe, expect, it } from 'vitest';
import { EventCursor } from './event-cursor.js';
import { type KeptEntry, KeptEvents, OUTPUT_EVENT_COST } from './kept-events.js';

/** Keeps one 4-byte output event in each half. */
const BOUND = 2 * (4 + OUTPUT_EVENT_COST);

function output(text: string): OutputEvent {
  const fields = { step: 1, stream: 'stdout', data: text, encoding: 'utf-8' } as const;
  return { type: 'output', version: BUILD_EVENT_SCHEMA_VERSION, time: 1, ...fields };
}

function pushOutputs(kept: KeptEvents, count: number): void {
  for (let chunk = 0; chunk < count; chunk++) kept.push(output('abcd'));
}

function readAll(cursor: EventCursor): KeptEntry[] {
  const entries: KeptEntry[] = [];
  for (let entry = cursor.read(); entry !== undefined; entry = cursor.read()) entries.push(entry);
  return entries;
}

describe('EventCursor', () => {
  it('reads every event when nothing is left out', () => {
    const kept = new KeptEvents(1024 * 1024);
    pushOutputs(kept, 5);
    const cursor = new EventCursor(kept, 0);
    expect(readAll(cursor).map((entry) => entry.index)).toEqual([0, 1, 2, 3, 4]);
    expect(cursor.behind).toBe(false);
  });

  it('starts at its first index', () => {
    const kept = new KeptEvents(1024 * 1024);
    pushOutputs(kept, 5);
    expect(readAll(new EventCursor(kept, 3)).map((entry) => entry.index)).toEqual([3, 4]);
  });

  it('replays the warning in place of left-out output', () => {
    const kept = new KeptEvents(BOUND);
    pushOutputs(kept, 6);
    const cursor = new EventCursor(kept, 0);
    const entries = readAll(cursor);
    expect(entries.map((entry) => [entry.index, entry.omission])).toEqual([
      [0, false],
      [4, true],
      [5, false],
    ]);
    expect(cursor.behind).toBe(false);
  });

  it('reads on after the build adds events', () => {
    const kept = new KeptEvents(BOUND);
    const cursor = new EventCursor(kept, 0);
    for (let chunk = 0; chunk < 6; chunk++) {
      kept.push(output('abcd'));
      expect(readAll(cursor)).toHaveLength(1);
    }
    expect(cursor.behind).toBe(false);
  });

  it('falls behind on unread output left out', () => {
    const kept = new KeptEvents(BOUND);
    pushOutputs(kept, 2);
    const cursor = new EventCursor(kept, 0);
    expect(readAll(cursor)).toHaveLength(2);
    pushOutputs(kept, 3);
    expect(cursor.read()).toBeUndefined();
    expect(cursor.behind).toBe(true);
  });

  it('falls behind after the warning', () => {
    const kept = new KeptEvents(BOUND);
    pushOutputs(kept, 4);
    const cursor = new EventCursor(kept, 0);
    expect(readAll(cursor).map((entry) => entry.omission)).toEqual([false, true, false]);
    pushOutputs(kept, 2);
    expect(cursor.read()).toBeUndefined();
    expect(cursor.behind).toBe(true);
  });

  it('starts inside left-out output', () => {
    const kept = new KeptEvents(BOUND);
    pushOutputs(kept, 8);
    const cursor = new EventCursor(kept, 3);
    expect(readAll(cursor).map((entry) => entry.index)).toEqual([6, 7]);
    expect(cursor.behind).toBe(false);
  });

  it('stays behind once it fell behind', () => {
    const kept = new KeptEvents(BOUND);
    pushOutputs(kept, 2);
    const cursor = new EventCursor(kept, 0);
    readAll(cursor);
    pushOutputs(kept, 3);
    cursor.read();
    kept.push(output('abcd'));
    expect(cursor.read()).toBeUndefined();
    expect(cursor.behind).toBe(true);
  });

  it('checks for falling behind without reading', () => {
    const kept = new KeptEvents(BOUND);
    pushOutputs(kept, 2);
    const cursor = new EventCursor(kept, 0);
    expect(cursor.read()?.index).toBe(0);
    expect(cursor.checkBehind()).toBe(false);
    expect(cursor.read()?.index).toBe(1);
    pushOutputs(kept, 3);
    expect(cursor.checkBehind()).toBe(true);
    expect(cursor.behind).toBe(true);
  });
});
