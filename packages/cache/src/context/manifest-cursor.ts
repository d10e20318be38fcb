/**
 * Finds walked entries in the previous manifest. Both are in walk order, so
 * the cursor only moves forward and keeps one segment in memory at a time.
 */
import { compareCodePoints } from '../canonical.js';
import type { ManifestReader } from './manifest-reader.js';
import type { Segment } from './manifest-segment.js';
import { joinPath, type WalkFrame } from './walk-context.js';
import { compareWalkOrder } from './walk-order.js';

/** Position in the previous manifest, moved forward by {@link find}. */
export class ManifestCursor {
  private readonly reader: ManifestReader;
  /** Segment with the next unvisited entry; undefined once the manifest is exhausted. */
  segment: Segment | undefined;
  private index = 0;
  /** The walk folder that `segment` belongs to, once compared. */
  private frame: WalkFrame | undefined;

  constructor(reader: ManifestReader) {
    this.reader = reader;
    this.segment = reader.next();
  }

  /**
   * Returns the index in {@link segment} of the entry `name` in the walk
   * folder `frame`, or -1 when the previous manifest does not have it. Entries
   * that come before it in walk order are passed over: the walk no longer has
   * them. In an unchanged folder this is one string comparison.
   */
  find(frame: WalkFrame, name: string): number {
    for (;;) {
      const segment = this.segment;
      if (segment === undefined) {
        return -1;
      }
      if (this.index >= segment.count) {
        this.advance();
        continue;
      }
      if (frame !== this.frame) {
        if (segment.folder !== frame.folder) {
          if (this.passSegmentEntries(segment, frame, name)) {
            continue;
          }
          return -1;
        }
        this.frame = frame;
      }
      const cached = segment.names[this.index] as string;
      if (cached === name) {
        return this.index++;
      }
      if (compareCodePoints(cached, name) > 0) {
        return -1;
      }
      this.index++;
    }
  }

  /**
   * Passes over cached entries of another folder that come before the walked
   * entry, and over the whole segment when its last entry does. Returns false
   * when the next cached entry comes after the walked one.
   */
  private passSegmentEntries(segment: Segment, frame: WalkFrame, name: string): boolean {
    const walked = joinPath(frame.folder, name);
    const last = joinPath(segment.folder, segment.names[segment.count - 1] as string);
    if (compareWalkOrder(last, walked) < 0) {
      this.advance();
      return true;
    }
    const next = joinPath(segment.folder, segment.names[this.index] as string);
    if (compareWalkOrder(next, walked) < 0) {
      this.index++;
      return true;
    }
    return false;
  }

  private advance(): void {
    this.segment = this.reader.next();
    this.index = 0;
    this.frame = undefined;
  }
}
