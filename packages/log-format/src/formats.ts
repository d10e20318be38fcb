import { createClassicRenderer } from './classic.js';
import { type ColorEnvironment, shouldUseColor } from './color.js';
import { createEngineJsonRenderer } from './engine-json.js';
import { LogFormatError } from './errors.js';
import { createJsonRenderer } from './json.js';
import { createPlainRenderer } from './plain.js';
import { createQuietRenderer } from './quiet.js';
import type { LiveRenderer, Renderer } from './renderer.js';
import { createTtyRenderer } from './tty.js';

/** Names of the output formats, as `gantry build --progress` takes them. */
export const LOG_FORMATS = [
  'classic',
  'plain',
  'tty',
  'auto',
  'json',
  'engine-json',
  'quiet',
] as const;

/** One of {@link LOG_FORMATS}. */
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Facts about the output that `tty` and `auto` need. */
export interface OutputOptions {
  /** Whether the output is a terminal (`process.stdout.isTTY`). Default false. */
  isTerminal?: boolean;
  /** Terminal width in columns. Default 80. */
  columns?: number;
  /** Terminal height in rows. Default: no limit. */
  rows?: number;
  /** Environment for the colour decision (`NO_COLOR`, `FORCE_COLOR`). Default: none. */
  env?: ColorEnvironment;
}

/**
 * A renderer made by {@link createRenderer}. It has `tick` when the format
 * is `tty`, or `auto` on a terminal, so `renderer.tick?.(Date.now())` needs no cast.
 */
export type FormatRenderer = Renderer & Partial<Pick<LiveRenderer, 'tick'>>;

/**
 * Creates the renderer for a format. `auto` picks `tty` when the output is a
 * terminal and `plain` otherwise, as BuildKit does.
 *
 * @throws {LogFormatError} with code `UNKNOWN_FORMAT` for a name not in {@link LOG_FORMATS}.
 * @example
 * const renderer = createRenderer('auto', {
 *   isTerminal: process.stdout.isTTY === true,
 *   columns: process.stdout.columns,
 *   env: process.env,
 * });
 */
export function createRenderer(format: string, output: OutputOptions = {}): FormatRenderer {
  switch (format) {
    case 'classic':
      return createClassicRenderer();
    case 'plain':
      return createPlainRenderer();
    case 'tty':
      return createTtyFor(output);
    case 'auto':
      return output.isTerminal === true ? createTtyFor(output) : createPlainRenderer();
    case 'json':
      return createJsonRenderer();
    case 'engine-json':
      return createEngineJsonRenderer();
    case 'quiet':
      return createQuietRenderer();
    default:
      throw new LogFormatError(
        'UNKNOWN_FORMAT',
        `Unknown log format ${JSON.stringify(format)}; expected one of ${LOG_FORMATS.join(', ')}.`,
      );
  }
}

function createTtyFor(output: OutputOptions): LiveRenderer {
  return createTtyRenderer({
    columns: output.columns,
    rows: output.rows,
    color: shouldUseColor(output.env ?? {}, output.isTerminal ?? false),
  });
}
