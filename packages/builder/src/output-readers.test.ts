import type { BuildEvent } from '@gantry/log-format';
import { describe, expect, it } from 'vitest';
import { build } from './build.js';
import { useTestBench } from './test-engine.js';

const testFile = useTestBench();

function outputs(events: readonly BuildEvent[]): string {
  return events.flatMap((event) => (event.type === 'output' ? [event.data] : [])).join('');
}

describe('waitForOutputReaders', () => {
  it('holds RUN output until the readers catch up', async () => {
    const contextDir = await testFile.context({
      Dockerfile: 'FROM busybox:latest\nRUN echo first; sleep 0.3; echo second\n',
    });
    const events: BuildEvent[] = [];
    let open = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    let calls = 0;
    const { bench } = testFile;
    const building = build({
      contextDir,
      noCache: true,
      engine: bench.engine,
      cache: bench.cache,
      onEvent: (event) => {
        events.push(event);
        if (event.type === 'step-done' && event.step > 1) bench.images.add(event.imageId);
      },
      waitForOutputReaders: () => (calls++ === 0 ? gate : undefined),
    });
    // `second` is printed 0.3 s after `first`; the closed gate must keep it out.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const whileClosed = outputs(events);
    open();
    await building;
    expect(whileClosed).toBe('first\n');
    expect(outputs(events)).toBe('first\nsecond\n');
  });
});
