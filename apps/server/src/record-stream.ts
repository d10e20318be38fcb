/**
 * Writing a build's kept events to a streaming response at the pace its
 * client reads, so that a slow client costs no memory beyond the response's
 * write buffer.
 */
import type { ServerResponse } from 'node:http';
import type { BuildEvent } from '@gantry/log-format';
import type { BuildRecord } from './build-record.js';
import { EventCursor } from './event-cursor.js';
import { outputCost } from './kept-events.js';

/** Time a response that was ended for a slow client gets to flush its last message. */
const FLUSH_TIMEOUT_MS = 30_000;

/** Options of {@link streamRecord}: where to start and the texts to write. */
export interface RecordStreamOptions {
  /** Index of the first event to read. */
  readonly from: number;
  /** Returns the text of one event. An empty text writes nothing. */
  render(event: BuildEvent, index: number): string;
  /** Returns the last text, written once the build has ended and every kept event is written. */
  finish(): string;
  /** Returns the last text for a client that fell behind the kept events, before the response ends. */
  fellBehind(): string;
  /** Whether the build waits for this client's reads rather than leave it behind. */
  readonly paced?: boolean;
}

/**
 * Streams a record's events to `res`, the stored ones first, then live ones.
 * A write happens only while the response accepts more (`write()` returned
 * true), so the response buffers at most its high-water mark (16 KiB) plus
 * one event's text. A client that reads more slowly than the build writes is
 * left behind by the bounded kept output (see {@link EventCursor}). It then
 * gets the last text of `fellBehind`, and the socket is destroyed if that
 * text is not read within 30 seconds.
 */
export function streamRecord(
  record: BuildRecord,
  res: ServerResponse,
  options: RecordStreamOptions,
): void {
  const cursor = new EventCursor(record.events, options.from);
  const reader = options.paced === true ? record.addPacedReader() : undefined;
  let stopWaiting = () => {};
  const fellBehind = () => {
    stopWaiting();
    res.off('drain', pump);
    endSlowResponse(res, options.fellBehind());
  };
  // While the client does not read, each new event may leave out what it has not read yet.
  const watchWhileBlocked = () => {
    if (cursor.checkBehind()) fellBehind();
    else stopWaiting = record.waitForChange(watchWhileBlocked);
  };
  function pump() {
    stopWaiting();
    if (res.writableEnded || res.destroyed) return;
    for (;;) {
      const entry = cursor.read();
      if (cursor.behind) return fellBehind();
      if (entry === undefined) {
        if (record.finished) res.end(options.finish());
        else stopWaiting = record.waitForChange(pump);
        return;
      }
      const text = options.render(entry.event, entry.index);
      if (reader !== undefined && entry.event.type === 'output') {
        record.readerAdvanced(reader, outputCost(entry.event));
      }
      if (text !== '' && !res.write(text)) {
        res.once('drain', pump);
        watchWhileBlocked();
        return;
      }
    }
  }
  res.once('close', () => {
    stopWaiting();
    if (reader !== undefined) record.removePacedReader(reader);
  });
  pump();
}

function endSlowResponse(res: ServerResponse, text: string): void {
  res.end(text);
  const timer = setTimeout(() => res.destroy(), FLUSH_TIMEOUT_MS);
  timer.unref();
  res.once('close', () => clearTimeout(timer));
}
