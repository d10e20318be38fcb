/** Server-sent events of one build: the stored events, then live ones, then `end`. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type BuildEvent, createRenderer } from '@gantry/log-format';
import type { BuildRecord } from './build-record.js';
import { invalidParameter, quoteValue } from './errors.js';
import { streamRecord } from './record-stream.js';

/** Content of the events route: the build events, or the log text in a log format. */
export type EventStreamFormat = 'events' | 'classic' | 'plain';

const FORMATS: readonly EventStreamFormat[] = ['events', 'classic', 'plain'];

/** Interval of the comment lines that keep idle proxies from closing the stream. */
const KEEP_ALIVE_MS = 15_000;

/**
 * Reads the `format` parameter of the events route.
 *
 * @throws {ServerError} `ERR_INVALID_PARAMETER` for `format`.
 */
export function readStreamFormat(value: string | null): EventStreamFormat {
  if (value === null || value === '') return 'events';
  const format = FORMATS.find((name) => name === value);
  if (format !== undefined) return format;
  throw invalidParameter(
    'format',
    `Invalid format ${quoteValue(value)}: expected ${FORMATS.join(', ')}.`,
  );
}

/** Options of {@link streamBuildEvents}. */
export interface EventStreamOptions {
  readonly format: EventStreamFormat;
  /** Called when the stream is closed because its client fell behind, after its last message. */
  readonly onFellBehind: () => void;
}

/**
 * Streams a build as server-sent events. Each message's `id` is the event's
 * index, so a client that reconnects with `Last-Event-ID` gets only what it
 * missed. `events` sends each build event as JSON in an unnamed message.
 * `classic` and `plain` send the rendered text of each event as a JSON
 * string in a `log` message. A last `end` message carries the final state.
 * A client that falls behind the kept output gets a last `disconnect`
 * message in its place, and the build goes on.
 */
export function streamBuildEvents(
  record: BuildRecord,
  req: IncomingMessage,
  res: ServerResponse,
  options: EventStreamOptions,
): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache',
    'X-Accel-Buffering': 'no',
  });
  const after = lastEventId(req.headers['last-event-id']);
  const keepAlive = setInterval(() => {
    if (!res.writableNeedDrain) res.write(': keep-alive\n\n');
  }, KEEP_ALIVE_MS);
  res.once('close', () => clearInterval(keepAlive));
  streamRecord(record, res, {
    // A renderer needs every event from the first, also those the client already has.
    from: options.format === 'events' ? after + 1 : 0,
    render: messageWriter(options.format, after),
    finish: () => {
      clearInterval(keepAlive);
      return `event: end\ndata: ${JSON.stringify({ state: record.state })}\n\n`;
    },
    fellBehind: () => {
      clearInterval(keepAlive);
      options.onFellBehind();
      return `event: disconnect\ndata: ${JSON.stringify(slowReaderMessage(record))}\n\n`;
    },
  });
}

/** Returns the data of the `disconnect` message for a client that fell behind. */
function slowReaderMessage(record: BuildRecord) {
  return {
    code: 'ERR_SLOW_READER',
    message:
      `This stream fell behind build ${record.id}: output it had not read yet was left out ` +
      'of the kept events, so the server closed it. The build goes on. Reconnect with ' +
      'Last-Event-ID to read the kept events from there, or read faster.',
  };
}

function messageWriter(format: EventStreamFormat, after: number) {
  const renderer = format === 'events' ? undefined : createRenderer(format);
  return (event: BuildEvent, index: number): string => {
    const text = renderer?.render(event);
    if (index <= after) return '';
    if (renderer === undefined) return `id: ${index}\ndata: ${JSON.stringify(event)}\n\n`;
    if (text === '') return '';
    return `id: ${index}\nevent: log\ndata: ${JSON.stringify(text)}\n\n`;
  };
}

function lastEventId(header: string | string[] | undefined): number {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !/^\d+$/.test(value)) return -1;
  return Number(value);
}
