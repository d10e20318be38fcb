/** The event sink of one build: stamps events with the schema version and time. */
import { BUILD_EVENT_SCHEMA_VERSION, type BuildEvent } from '@gantry/log-format';

/** An event without the fields every event shares. */
export type EventBody = BuildEvent extends infer E
  ? E extends BuildEvent
    ? Omit<E, 'version' | 'time'>
    : never
  : never;

/**
 * Sends events to a listener. `time` is when the event happened, in
 * milliseconds since the epoch, for an event sent later than that.
 */
export type EmitEvent = (event: EventBody, time?: number) => void;

/** Returns an emitter that stamps each event and hands it to `listener`. */
export function createEmitter(listener: ((event: BuildEvent) => void) | undefined): EmitEvent {
  if (listener === undefined) return () => {};
  return (body, time = Date.now()) => {
    listener({ version: BUILD_EVENT_SCHEMA_VERSION, time, ...body } as BuildEvent);
  };
}
