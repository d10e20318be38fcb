import { createClassicRenderer } from './classic.js';
import type { BuildEvent } from './events.js';
import type { Renderer } from './renderer.js';

/**
 * Creates a renderer for `docker build -q`: the final image id alone
 * (`sha256:...`). When the build fails, the text of the `build-error` event
 * is the whole classic log the build would have printed, then the error
 * line, as the docker CLI prints them on stderr.
 * NOTE: the classic log stays in memory until the build ends, as in the
 * docker CLI. A RUN that prints gigabytes costs as much memory.
 */
export function createQuietRenderer(): Renderer {
  const classic = createClassicRenderer();
  let transcript: string[] = [];
  return {
    render(event: BuildEvent): string {
      const text = classic.render(event);
      if (event.type === 'build-done') {
        transcript = [];
        return `${event.imageId}\n`;
      }
      if (event.type === 'build-error') {
        const log = transcript.join('') + text;
        transcript = [];
        return log;
      }
      if (text !== '') transcript.push(text);
      return '';
    },
  };
}
