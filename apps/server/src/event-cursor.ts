/** A reader's place in a build's kept events, and the check that it has not fallen behind. */
import type { KeptEntry } from './kept-events.js';

/** The part of {@link KeptEvents} that a cursor reads. */
export interface KeptEventSource {
  entryFrom(index: number): KeptEntry | undefined;
  readonly firstOmittedIndex: number | undefined;
}

/**
 * Reads kept events in index order for one stream. Output that was left out
 * before the reader reached it is shown by the warning that replaces it, as a
 * replay shows it. The reader has fallen behind when output is left out after
 * it passed the first left-out event, because it has read some of that output
 * already. It has also fallen behind when output is left out after it read
 * the warning. In both cases no event can show the reader what it missed.
 */
export class EventCursor {
  readonly #source: KeptEventSource;
  #next: number;
  #read = false;
  #state: 'in-order' | 'before-warning' | 'after-warning' = 'in-order';
  #behind = false;

  /** Starts at the event of index `from`. */
  constructor(source: KeptEventSource, from: number) {
    this.#source = source;
    this.#next = from;
  }

  /** Whether kept events can no longer show the reader what it missed. */
  get behind(): boolean {
    return this.#behind;
  }

  /** Returns the next kept entry, or undefined when there is none yet or the reader fell behind. */
  read(): KeptEntry | undefined {
    const entry = this.#peek();
    if (entry === undefined) return undefined;
    if (this.#skips(entry) && this.#state === 'in-order') this.#state = 'before-warning';
    if (entry.omission) this.#state = 'after-warning';
    this.#next = entry.index + 1;
    this.#read = true;
    return entry;
  }

  /** Checks, without reading, whether the reader has fallen behind. {@link behind} then stays true. */
  checkBehind(): boolean {
    this.#peek();
    return this.#behind;
  }

  #peek(): KeptEntry | undefined {
    if (this.#behind) return undefined;
    const entry = this.#source.entryFrom(this.#next);
    if (entry === undefined || !this.#skips(entry) || this.#warningWillShowSkip()) return entry;
    this.#behind = true;
    return undefined;
  }

  /** Whether `entry` comes after events that were left out ahead of the reader. */
  #skips(entry: KeptEntry): boolean {
    return entry.omission || entry.index > this.#next;
  }

  /** Whether the warning that the reader has yet to read covers the events it skips. */
  #warningWillShowSkip(): boolean {
    if (this.#state !== 'in-order') return this.#state === 'before-warning';
    const firstOmitted = this.#source.firstOmittedIndex ?? Number.POSITIVE_INFINITY;
    return !this.#read || this.#next <= firstOmitted;
  }
}
