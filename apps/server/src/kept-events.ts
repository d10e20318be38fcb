/**
 * The events a build record keeps, with its step output bounded: the first
 * part and the last part of the output are kept, and one warning event
 * replaces the output left out between them.
 */
import {
  BUILD_EVENT_SCHEMA_VERSION,
  type BuildEvent,
  decodeOutputBytes,
  type OutputEvent,
  type WarningEvent,
} from '@gantry/log-format';

/** Rule id of the warning event that replaces the output left out of a kept build. */
export const OUTPUT_OMITTED_RULE = 'OutputOmitted';

/**
 * Bytes that each output event counts beyond its data: an estimate of the
 * memory of the event object and its entry, measured at about 160 bytes on
 * Node.js 20.20 (x64). Without it, a container that writes one byte at a
 * time could fill memory with events while staying under the byte bound.
 */
export const OUTPUT_EVENT_COST = 160;

/** A kept event and the index that the events route gives it. */
export interface KeptEntry {
  /** Index of the event among every event of the build, from 0. */
  readonly index: number;
  readonly event: BuildEvent;
  /** Whether the event is the warning that replaces left-out output, not a stored event. */
  readonly omission: boolean;
}

/** Step output left out of a kept build. */
export interface OmittedOutput {
  /** Bytes of output, as the containers wrote them. */
  readonly bytes: number;
  /** Line breaks (`\n`) in those bytes. */
  readonly lines: number;
}

interface Omission {
  bytes: number;
  lines: number;
  /** Index of the first and the last output event left out. */
  readonly firstIndex: number;
  lastIndex: number;
  lastEvent: OutputEvent;
  entry: KeptEntry | undefined;
}

/**
 * Events of one build, numbered from 0, holding at most `maxOutputBytes` of
 * step output (each output event counted with {@link OUTPUT_EVENT_COST}).
 * The first half of that bound keeps the first output. The second half keeps
 * the latest output: past it, the oldest output after the first half is left
 * out. Other events are always kept.
 *
 * The newest event is never left out at once, so the kept output can pass the
 * bound by that one event until the next one arrives. Readers that wait for
 * events therefore get each event before it can be left out.
 */
export class KeptEvents {
  readonly #headBudget: number;
  readonly #tailBudget: number;
  /** Events 0 to `#head.length - 1`, every one from the start until the first half is full. */
  readonly #head: KeptEntry[] = [];
  #headFull = false;
  #headCost = 0;
  /** Events other than output, moved out of the tail when the output around them was left out. */
  readonly #middle: KeptEntry[] = [];
  readonly #tail = new EntryQueue();
  #tailCost = 0;
  #omission: Omission | undefined;
  #count = 0;
  #pushedCost = 0;

  constructor(maxOutputBytes: number) {
    this.#headBudget = Math.floor(maxOutputBytes / 2);
    this.#tailBudget = maxOutputBytes - this.#headBudget;
  }

  /** Number of events pushed, kept or not, which is the next event's index. */
  get count(): number {
    return this.#count;
  }

  /** Output left out so far. */
  get omitted(): OmittedOutput {
    return { bytes: this.#omission?.bytes ?? 0, lines: this.#omission?.lines ?? 0 };
  }

  /** Index of the first output event left out, once one is. */
  get firstOmittedIndex(): number | undefined {
    return this.#omission?.firstIndex;
  }

  /** Bytes that the kept output events count, {@link OUTPUT_EVENT_COST} included. */
  get keptOutputCost(): number {
    return this.#headCost + this.#tailCost;
  }

  /** Bytes that every output event pushed so far counts, kept or left out. */
  get pushedOutputCost(): number {
    return this.#pushedCost;
  }

  /** Bytes of output kept at the end, past which the oldest of them is left out. */
  get tailBudget(): number {
    return this.#tailBudget;
  }

  /** Stores an event and returns its index. Output past the bound leaves out the oldest output. */
  push(event: BuildEvent): number {
    const entry: KeptEntry = { index: this.#count, event, omission: false };
    this.#count++;
    // NOTE: events other than output are all kept, pull progress included, so
    // a build that pulls many large images keeps one event per pull status.
    if (event.type !== 'output') {
      if (this.#headFull) this.#tail.push(entry);
      else this.#head.push(entry);
      return entry.index;
    }
    const cost = outputCost(event);
    this.#pushedCost += cost;
    if (!this.#headFull && this.#headCost + cost <= this.#headBudget) {
      this.#head.push(entry);
      this.#headCost += cost;
      return entry.index;
    }
    this.#headFull = true;
    this.#tail.push(entry);
    this.#tailCost += cost;
    this.#trimTail(entry);
    return entry.index;
  }

  /**
   * Returns the first kept entry whose index is `index` or later: a stored
   * event, or the warning about left-out output, which takes the index of
   * the last output event it replaces.
   */
  entryFrom(index: number): KeptEntry | undefined {
    if (index < this.#head.length) return this.#head[Math.max(index, 0)];
    const candidates = [
      firstFrom(this.#middle, index),
      this.#omissionFrom(index),
      this.#tail.firstFrom(index),
    ];
    let first: KeptEntry | undefined;
    for (const candidate of candidates) {
      if (candidate !== undefined && (first === undefined || candidate.index < first.index)) {
        first = candidate;
      }
    }
    return first;
  }

  /** Leaves out the oldest output of the tail until it fits, never `newest`. */
  #trimTail(newest: KeptEntry): void {
    while (this.#tailCost > this.#tailBudget) {
      const oldest = this.#tail.peek();
      if (oldest === undefined || oldest === newest) return;
      this.#tail.shift();
      if (oldest.event.type === 'output') {
        this.#tailCost -= outputCost(oldest.event);
        this.#omit(oldest.index, oldest.event);
      } else {
        this.#middle.push(oldest);
      }
    }
  }

  #omit(index: number, event: OutputEvent): void {
    const bytes = decodeOutputBytes(event.data, event.encoding);
    const omission = this.#omission ?? {
      bytes: 0,
      lines: 0,
      firstIndex: index,
      lastIndex: index,
      lastEvent: event,
      entry: undefined,
    };
    omission.bytes += bytes.length;
    omission.lines += countLineBreaks(bytes);
    omission.lastIndex = index;
    omission.lastEvent = event;
    omission.entry = undefined;
    this.#omission = omission;
  }

  #omissionFrom(index: number): KeptEntry | undefined {
    const omission = this.#omission;
    if (omission === undefined || omission.lastIndex < index) return undefined;
    omission.entry ??= {
      index: omission.lastIndex,
      event: omissionWarning(omission, this.#headBudget, this.#tailBudget),
      omission: true,
    };
    return omission.entry;
  }
}

/** Returns the bytes an output event counts against the bound. */
export function outputCost(event: OutputEvent): number {
  const bytes =
    event.encoding === 'utf-8'
      ? Buffer.byteLength(event.data, 'utf8')
      : Buffer.byteLength(event.data, 'base64');
  return bytes + OUTPUT_EVENT_COST;
}

function countLineBreaks(bytes: Uint8Array): number {
  let lines = 0;
  for (const byte of bytes) if (byte === 0x0a) lines++;
  return lines;
}

function omissionWarning(omission: Omission, headBytes: number, tailBytes: number): WarningEvent {
  return {
    type: 'warning',
    version: BUILD_EVENT_SCHEMA_VERSION,
    time: omission.lastEvent.time,
    step: omission.lastEvent.step,
    rule: OUTPUT_OMITTED_RULE,
    message:
      `${omission.bytes} bytes (${omission.lines} lines) of step output were left out here. ` +
      `The server keeps the first ${headBytes} and the last ${tailBytes} bytes of a ` +
      "build's output; raise --keep-output to keep more.",
  };
}

/** Returns the first entry of a list sorted by index whose index is `index` or later. */
function firstFrom(entries: readonly KeptEntry[], index: number): KeptEntry | undefined {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((entries[middle] as KeptEntry).index < index) low = middle + 1;
    else high = middle;
  }
  return entries[low];
}

/**
 * Entries with consecutive indices, taken from the front. An array with a
 * start offset, because `Array.prototype.shift` copies the whole array.
 */
class EntryQueue {
  #entries: KeptEntry[] = [];
  #start = 0;

  push(entry: KeptEntry): void {
    this.#entries.push(entry);
  }

  peek(): KeptEntry | undefined {
    return this.#entries[this.#start];
  }

  shift(): void {
    this.#start++;
    if (this.#start * 2 >= this.#entries.length) {
      this.#entries = this.#entries.slice(this.#start);
      this.#start = 0;
    }
  }

  firstFrom(index: number): KeptEntry | undefined {
    const first = this.peek();
    if (first === undefined) return undefined;
    return this.#entries[this.#start + Math.max(index - first.index, 0)];
  }
}
