import { ClassicTranscript, classicErrorMessage, classicOutputText } from './classic-messages.js';
import type { BuildEvent } from './events.js';
import { formatHumanSize } from './human-size.js';
import { decodeOutputText } from './output-data.js';
import { classicPullLine } from './pull-messages.js';
import type { Renderer } from './renderer.js';

/**
 * Creates a renderer for the output of `docker build` with the classic
 * builder (Docker 20.10, `DOCKER_BUILDKIT=0`), byte for byte as the docker
 * CLI writes it to a pipe: `Step 2/8 : RUN ...`, ` ---> Running in <id>`, the
 * step's output verbatim (stderr inside the engine's red colour codes),
 * `Removing intermediate container <id>`, ` ---> <id>`, `Successfully built`.
 *
 * The text of a `build-error` event is the line the docker CLI writes to
 * stderr; callers that keep the two streams apart write it there.
 */
export function createClassicRenderer(): Renderer {
  const transcript = new ClassicTranscript();
  return {
    render(event: BuildEvent): string {
      if (event.type === 'output') {
        return classicOutputText(event.stream, decodeOutputText(event.data, event.encoding));
      }
      if (event.type === 'build-start') {
        transcript.messages(event);
        return sendingContextLine(event.contextSize);
      }
      if (event.type === 'build-error') {
        return `${classicErrorMessage(event)}\n`;
      }
      const messages = transcript.messages(event);
      const pull = messages.pullStatus === undefined ? '' : classicPullLine(messages.pullStatus);
      return messages.streams.join('') + pull + (messages.streamsAfterAux ?? []).join('');
    },
  };
}

/**
 * The docker CLI's context upload line. Written to a pipe, its progress
 * output ends with `\r\r\n`; a terminal shows the same single line. The
 * size is right-aligned in 8 columns, as the CLI's `%8v` prints it.
 */
function sendingContextLine(contextSize: number | undefined): string {
  if (contextSize === undefined) {
    return '';
  }
  const size = formatHumanSize(contextSize).padStart(8);
  return `Sending build context to Docker daemon ${size}\r\r\n`;
}
