/**
 * @gantry/log-format: gantry's build events and every way to read them.
 *
 * The builder emits {@link BuildEvent}s; a {@link Renderer} turns each one
 * into text: the classic `docker build` transcript, BuildKit's plain or live
 * terminal view, NDJSON, the Engine API's JSON messages, or the image id.
 *
 * @packageDocumentation
 */

export { createClassicRenderer } from './classic.js';
export { type ColorEnvironment, shouldUseColor } from './color.js';
export { createEngineJsonRenderer } from './engine-json.js';
export { LogFormatError, type LogFormatErrorCode } from './errors.js';
export * from './events.js';
export {
  createRenderer,
  type FormatRenderer,
  LOG_FORMATS,
  type LogFormat,
  type OutputOptions,
} from './formats.js';
export { formatHumanSize } from './human-size.js';
export { createJsonRenderer } from './json.js';
export {
  decodeOutputBytes,
  decodeOutputText,
  type EncodedOutput,
  encodeOutput,
} from './output-data.js';
export { parseBuildEvent, validateBuildEvent } from './parse-event.js';
export { createPlainRenderer } from './plain.js';
export { createQuietRenderer } from './quiet.js';
export { type LiveRenderer, type Renderer, renderEvents } from './renderer.js';
export { createTtyRenderer, type TtyRendererOptions } from './tty.js';
