import { ClassicTranscript, classicErrorMessage } from './classic-messages.js';
import type { BuildErrorEvent, BuildEvent } from './events.js';
import { goJsonString } from './go-json.js';
import { enginePullMessage } from './pull-messages.js';
import type { Renderer } from './renderer.js';

/**
 * Creates a renderer for the JSON messages that Docker Engine's `/build`
 * endpoint streams for a classic build (Engine 20.10, API 1.41), byte for
 * byte: `{"stream":"..."}`, `{"aux":{"ID":"sha256:..."}}` after the last
 * step of each stage, and `{"errorDetail":{"code":1,"message":"..."},"error":"..."}`, each
 * followed by `\r\n` and encoded as Go encodes JSON. A docker CLI reading this
 * stream shows the build as if the engine ran it.
 */
export function createEngineJsonRenderer(): Renderer {
  const transcript = new ClassicTranscript();
  return {
    render(event: BuildEvent): string {
      if (event.type === 'build-error') {
        return errorMessage(event);
      }
      const messages = transcript.messages(event);
      let text = messages.streams.map(streamMessage).join('');
      if (messages.pullStatus !== undefined) text += enginePullMessage(messages.pullStatus);
      if (messages.auxImageId !== undefined) {
        text += `{"aux":{"ID":${goJsonString(messages.auxImageId)}}}\r\n`;
      }
      return text + (messages.streamsAfterAux ?? []).map(streamMessage).join('');
    },
  };
}

function streamMessage(text: string): string {
  return `{"stream":${goJsonString(text)}}\r\n`;
}

function errorMessage(event: BuildErrorEvent): string {
  const message = goJsonString(classicErrorMessage(event));
  const code = event.exitCode ? `"code":${event.exitCode},` : '';
  return `{"errorDetail":{${code}"message":${message}},"error":${message}}\r\n`;
}
