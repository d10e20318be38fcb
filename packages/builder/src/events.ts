/** The event sink of one build: stamps events with the schema version and time. */
import { BUILD_EVENT_SCHEMA_VERSION, type BuildEvent } from '@gantry/log-format';

/** An event without the fields every event shares. */
export type EventBody = BuildEvent extends infer E
  ? E extends BuildEvent
    ? Omit<E, 'version' | 'time'>
    : never
  : never;

/** Sends events to a listener. */
export type EmitEvent = (event: EventBody) => void;

/** Returns an emitter that stamps each event and hands it to `listener`. */
export function createEmitter(listener: ((event: BuildEvent) => void) | undefined): EmitEvent {
  if (listener === undefined) return () => {};
  return (body) => {
    listener({ version: BUILD_EVENT_SCHEMA_VERSION, time: Date.now(), ...body } as BuildEvent);
  };
}
