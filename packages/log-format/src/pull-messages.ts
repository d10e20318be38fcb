/** A base image pull's status messages, as the docker CLI prints them and as the engine sends them. */
import type { PullProgressEvent } from './events.js';
import { goJsonString } from './go-json.js';

/**
 * Returns the line the docker CLI (20.10) prints for a pull status when its
 * output is not a terminal: `id: status`, or the status alone. Statuses with
 * a progress bar (`Downloading`, `Extracting`) print nothing there, because
 * the CLI draws bars only on a terminal.
 */
export function classicPullLine(event: PullProgressEvent): string {
  if (hasProgress(event)) return '';
  return event.id === undefined ? `${event.status}\n` : `${event.id}: ${event.status}\n`;
}

/**
 * Returns the engine's JSON message for a pull status, in Go's field order
 * (`status`, `progressDetail`, `progress`, `id`), followed by `\r\n`.
 * NOTE: the engine sends an empty `progressDetail` with every layer status.
 * The event does not record whether it was there, so it is written for every
 * status that has an id, except `Pulling from ...`, whose id is the tag.
 */
export function enginePullMessage(event: PullProgressEvent): string {
  let text = `{"status":${goJsonString(event.status)}`;
  if (hasProgress(event)) {
    text += `,"progressDetail":${progressDetail(event)}`;
  } else if (event.id !== undefined && !event.status.startsWith('Pulling from ')) {
    text += ',"progressDetail":{}';
  }
  if (event.progress !== undefined && event.progress !== '') {
    text += `,"progress":${goJsonString(event.progress)}`;
  }
  if (event.id !== undefined) text += `,"id":${goJsonString(event.id)}`;
  return `${text}}\r\n`;
}

/** Go leaves zero counts out of `progressDetail`. */
function progressDetail(event: PullProgressEvent): string {
  const fields: string[] = [];
  if ((event.current ?? 0) > 0) fields.push(`"current":${event.current}`);
  if ((event.total ?? 0) > 0) fields.push(`"total":${event.total}`);
  return `{${fields.join(',')}}`;
}

/** Returns whether the status carries byte counts, which the engine shows as a bar. */
export function hasProgress(event: PullProgressEvent): boolean {
  return (event.current ?? 0) > 0 || (event.total ?? 0) > 0;
}
