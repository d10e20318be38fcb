import { afterEach, describe, expect, it, vi } from 'vitest';
import { DeferredHits } from './deferred-hits.js';
import type { EventBody } from './events.js';

const stepDone = (step: number): EventBody => ({
  type: 'step-done',
  step,
  imageId: `sha256:${String(step).repeat(64)}`,
  durationMs: 1,
});

describe('DeferredHits event times', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps the time of buffered events', async () => {
    vi.useFakeTimers({ now: 1_000 });
    const emitted: (readonly [step: number, time: number | undefined])[] = [];
    const hits = new DeferredHits(
      (event, time) => {
        if (event.type === 'step-done') emitted.push([event.step, time]);
      },
      async () => true,
    );
    hits.startBuffering();
    hits.trust('sha256:a');
    hits.emit(stepDone(1));
    vi.setSystemTime(1_040);
    hits.emit(stepDone(2));
    vi.setSystemTime(1_100);

    expect(await hits.confirm()).toBe(true);
    expect(emitted).toEqual([
      [1, 1_000],
      [2, 1_040],
    ]);
  });

  it('emits at once while nothing waits', () => {
    vi.useFakeTimers({ now: 2_000 });
    const times: (number | undefined)[] = [];
    const hits = new DeferredHits(
      (_event, time) => times.push(time),
      async () => true,
    );
    hits.emit(stepDone(1));

    expect(times).toEqual([2_000]);
  });
});
