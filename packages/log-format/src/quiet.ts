import { classicErrorMessage } from './classic-messages.js';
import type { BuildEvent } from './events.js';
import type { Renderer } from './renderer.js';

/**
 * Creates a renderer for `docker build -q`: the final image id alone
 * (`sha256:...`), or the error line when the build fails.
 */
export function createQuietRenderer(): Renderer {
  return {
    render(event: BuildEvent): string {
      if (event.type === 'build-done') {
        return `${event.imageId}\n`;
      }
      if (event.type === 'build-error') {
        return `${classicErrorMessage(event)}\n`;
      }
      return '';
    },
  };
}
