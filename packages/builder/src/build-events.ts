/** `buildEvents`: the same build, read as an async iterable of events. */
import type { BuildEvent } from '@gantry/log-format';
import { build } from './build.js';
import type { BuildOptions } from './options.js';

/**
 * Runs {@link build} and yields its events as they happen. The iterable ends
 * after `build-done`, or throws the build's error after `build-error`.
 * Events queue while the consumer is slow; a build emits a few per step plus
 * one per output chunk.
 */
export async function* buildEvents(
  options: Omit<BuildOptions, 'onEvent'>,
): AsyncGenerator<BuildEvent> {
  const queue: BuildEvent[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  let failure: { error: unknown } | undefined;
  const onEvent = (event: BuildEvent) => {
    queue.push(event);
    wake?.();
  };
  build({ ...options, onEvent }).then(
    () => {
      finished = true;
      wake?.();
    },
    (error: unknown) => {
      failure = { error };
      finished = true;
      wake?.();
    },
  );
  while (true) {
    const event = queue.shift();
    if (event !== undefined) {
      yield event;
      continue;
    }
    if (finished) break;
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
    wake = undefined;
  }
  if (failure !== undefined) throw failure.error;
}
