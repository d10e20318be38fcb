import { addAbortSignal, type Readable } from 'node:stream';
import type { EngineClient } from './engine-client.js';
import type { ProgressEvent } from './engine-types.js';
import { readJsonLines } from './json-lines.js';
import type { CallContext } from './translate-error.js';

/** One message of the engine's JSON stream, as sent. */
export interface JsonMessage {
  status?: string;
  id?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  stream?: string;
  aux?: { ID?: string; [field: string]: unknown };
  error?: string;
  errorDetail?: { message?: string; code?: number };
}

/**
 * Makes a response stream fail with the signal's reason when the signal
 * fires; docker-modem only ties the signal to the request.
 */
export function bindSignal<T extends Readable>(stream: T, signal: AbortSignal | undefined): T {
  return signal === undefined ? stream : addAbortSignal(signal, stream);
}

/** Yields the messages of a JSON stream, translating transport failures. */
export async function* jsonMessages(
  client: EngineClient,
  stream: Readable,
  context: CallContext,
): AsyncGenerator<JsonMessage> {
  try {
    for await (const value of readJsonLines(bindSignal(stream, context.signal))) {
      yield value as JsonMessage;
    }
  } catch (error) {
    throw client.translate(error, context);
  } finally {
    stream.destroy();
  }
}

/**
 * Yields the progress events of a pull, push or load stream, and throws the
 * translated error when the engine reports one inside the stream.
 */
export async function* progressEvents(
  client: EngineClient,
  stream: Readable,
  context: CallContext,
): AsyncGenerator<ProgressEvent> {
  for await (const message of jsonMessages(client, stream, context)) {
    if (message.error !== undefined || message.errorDetail !== undefined) {
      throw streamError(client, message, context);
    }
    if (message.status !== undefined) {
      yield progressEvent(message);
    }
  }
}

/** Converts an error message inside a stream into this package's error. */
export function streamError(client: EngineClient, message: JsonMessage, context: CallContext) {
  const text = message.errorDetail?.message ?? message.error ?? 'unknown error';
  const statusCode = /not found|manifest unknown|does not exist/i.test(text) ? 404 : undefined;
  return client.translate({ statusCode, json: { message: text } }, context);
}

function progressEvent(message: JsonMessage): ProgressEvent {
  const event: ProgressEvent = { status: message.status ?? '' };
  if (message.id !== undefined) event.id = message.id;
  if (message.progress !== undefined) event.progress = message.progress;
  if (message.progressDetail?.current !== undefined) event.current = message.progressDetail.current;
  if (message.progressDetail?.total !== undefined) event.total = message.progressDetail.total;
  return event;
}
