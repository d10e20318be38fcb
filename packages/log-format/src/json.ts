import type { BuildEvent } from './events.js';
import type { Renderer } from './renderer.js';

/**
 * Creates a renderer for the events themselves as NDJSON: one JSON object per
 * line, which {@link parseBuildEvent} reads back.
 */
export function createJsonRenderer(): Renderer {
  return {
    render(event: BuildEvent): string {
      return `${JSON.stringify(event)}\n`;
    },
  };
}
