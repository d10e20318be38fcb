import { BUILD_EVENT_SCHEMA_VERSION, encodeOutput, type OutputEvent } from '@gantry/log-format';
import { describe, expect, it } from 'vitest';
import { BuildRecord } from './build-record.js';
import { OUTPUT_EVENT_COST } from './kept-events.js';

/** Returns an output event of `bytes` bytes. */
function output(bytes: number): OutputEvent {
  const data = Buffer.alloc(bytes, 'x');
  return {
    version: BUILD_EVENT_SCHEMA_VERSION,
    time: 1,
    type: 'output',
    step: 2,
    stream: 'stdout',
    ...encodeOutput(data),
  };
}

/** Returns a record whose tail keeps 4,000 bytes of output, so readers may lag by 2,000. */
function record(): BuildRecord {
  return new BuildRecord('0123456789abcdef', [], 8_000);
}

const COST = 400 + OUTPUT_EVENT_COST;

describe('BuildRecord paced readers', () => {
  it('does not wait without paced readers', () => {
    const build = record();
    for (let index = 0; index < 20; index++) build.push(output(400));
    expect(build.waitForPacedReaders()).toBeUndefined();
  });

  it('waits for a reader that lags', async () => {
    const build = record();
    const reader = build.addPacedReader();
    for (let index = 0; index < 3; index++) build.push(output(400));
    expect(build.waitForPacedReaders()).toBeUndefined();
    build.push(output(400));
    const waiting = build.waitForPacedReaders();
    expect(waiting).toBeInstanceOf(Promise);
    let settled = false;
    waiting?.then(() => {
      settled = true;
    });
    build.readerAdvanced(reader, 100);
    await Promise.resolve();
    expect(settled).toBe(false);
    build.readerAdvanced(reader, COST);
    await waiting;
    expect(build.waitForPacedReaders()).toBeUndefined();
  });

  it('stops waiting when the reader goes or the build ends', async () => {
    const left = record();
    const reader = left.addPacedReader();
    left.push(output(2_000));
    const waiting = left.waitForPacedReaders();
    left.removePacedReader(reader);
    await waiting;
    const ended = record();
    ended.addPacedReader();
    ended.push(output(2_000));
    const pending = ended.waitForPacedReaders();
    ended.finish('failed', 'stopped');
    await pending;
    expect(ended.waitForPacedReaders()).toBeUndefined();
  });
});
