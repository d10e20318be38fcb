import type { BuildEvent } from './events.js';

/**
 * Turns build events into text, one event at a time. A renderer keeps only
 * the state it needs between events (step numbers, the last few output lines
 * of a running step), never the whole log, and never writes anywhere itself:
 * the caller writes each returned string to its output.
 */
export interface Renderer {
  /** Renders one event; returns the text to write, possibly empty. */
  render(event: BuildEvent): string;
}

/** A renderer whose view changes with time alone, such as running timers. */
export interface LiveRenderer extends Renderer {
  /** Redraws the view for the given time (milliseconds since the epoch). */
  tick(time: number): string;
}

/**
 * Renders an async sequence of events, yielding the text of each event that
 * produces any.
 *
 * @example
 * for await (const text of renderEvents(events, createClassicRenderer())) {
 *   process.stdout.write(text);
 * }
 */
export async function* renderEvents(
  events: AsyncIterable<BuildEvent> | Iterable<BuildEvent>,
  renderer: Renderer,
): AsyncGenerator<string> {
  for await (const event of events) {
    const text = renderer.render(event);
    if (text !== '') {
      yield text;
    }
  }
}
