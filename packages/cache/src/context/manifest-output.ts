/**
 * The output of a digest run, fed in walk order: the root hash over every
 * entry's line, and the segments of the new manifest. An entry reused from
 * the previous manifest costs no text: consecutive reused lines are hashed as
 * one block of the stored segment, and a segment whose entries are all
 * reused, in order, is written as its stored bytes.
 */
import { createHash } from 'node:crypto';
import {
  lineStart,
  type Segment,
  SegmentEncoder,
  type SegmentEntry,
  segmentEntry,
} from './manifest-segment.js';
import type { ManifestWriter } from './manifest-writer.js';
import type { WalkFrame } from './walk-context.js';

/** Entries and text bytes after which a new segment starts, to bound a segment's memory. */
const SEGMENT_MAX_ENTRIES = 4096;
const SEGMENT_MAX_BYTES = 256 * 1024;
/** Characters of new lines gathered before one hash update. */
const HASH_TEXT_CHARS = 64 * 1024;

/** Root hash and manifest segments of one run; see the file header. */
export class ManifestOutput {
  private readonly writer: ManifestWriter;
  private readonly hash = createHash('sha256');
  private readonly encoder = new SegmentEncoder();
  /** Stored lines `runStart` to `runEnd` of `runSegment` not hashed yet. */
  private runSegment: Segment | undefined;
  private runStart = 0;
  private runEnd = 0;
  /** New lines not hashed yet. */
  private hashText = '';
  /** The walk folder of the segment being assembled. */
  private frame: WalkFrame | undefined;
  /** While the segment is the first `copied` entries of `source`, nothing else is kept. */
  private source: Segment | undefined;
  private copied = 0;
  /** Entries of the segment once it differs from a stored one. */
  private entries: SegmentEntry[] = [];
  private entryBytes = 0;

  constructor(writer: ManifestWriter) {
    this.writer = writer;
  }

  /** Adds entry `index` of a previous manifest's segment, unchanged. */
  addCached(frame: WalkFrame, segment: Segment, index: number): void {
    this.hashCached(segment, index);
    if (frame !== this.frame) {
      this.closeSegment(frame);
    }
    const continues =
      this.entries.length === 0 &&
      (this.copied === 0 ? index === 0 : segment === this.source && index === this.copied);
    if (!continues) {
      this.addEntry(segmentEntry(segment, index));
      return;
    }
    this.source = segment;
    this.copied++;
    if (this.copied === segment.count) {
      this.closeSegment(undefined);
    }
  }

  /** Adds an entry that was read or stat again in this run. */
  addNew(frame: WalkFrame, entry: SegmentEntry & { readonly line: string }): void {
    this.hashNew(entry.line);
    if (frame !== this.frame) {
      this.closeSegment(frame);
    }
    this.addEntry(entry);
  }

  /** Writes the last segment and returns the root digest, `sha256:<hex>`. */
  finish(): string {
    this.closeSegment(undefined);
    this.flushHash();
    return `sha256:${this.hash.digest('hex')}`;
  }

  private addEntry(entry: SegmentEntry): void {
    this.keepCopiedEntries();
    this.entries.push(entry);
    this.entryBytes += entry.name.length + entry.line.length + (entry.target?.length ?? 0);
    if (this.entries.length >= SEGMENT_MAX_ENTRIES || this.entryBytes >= SEGMENT_MAX_BYTES) {
      this.closeSegment(this.frame);
    }
  }

  /** Turns the entries copied from `source` into kept entries, once the segment differs from it. */
  private keepCopiedEntries(): void {
    const source = this.source;
    for (let index = 0; source !== undefined && index < this.copied; index++) {
      this.entries.push(segmentEntry(source, index));
    }
    this.source = undefined;
    this.copied = 0;
  }

  /** Writes the segment being assembled, if any, and starts one for `frame`. */
  private closeSegment(frame: WalkFrame | undefined): void {
    if (this.source !== undefined && this.copied === this.source.count) {
      this.writer.write(this.source.raw, this.source);
    } else {
      this.keepCopiedEntries();
      if (this.entries.length > 0 && this.frame !== undefined) {
        this.writer.write(this.encoder.encode(this.frame.folder, this.entries));
      }
    }
    this.source = undefined;
    this.copied = 0;
    this.entries = [];
    this.entryBytes = 0;
    this.frame = frame;
  }

  private hashCached(segment: Segment, index: number): void {
    if (segment === this.runSegment && index === this.runEnd) {
      this.runEnd++;
      return;
    }
    this.flushHash();
    this.runSegment = segment;
    this.runStart = index;
    this.runEnd = index + 1;
  }

  private hashNew(line: string): void {
    if (this.runSegment !== undefined) {
      this.flushHash();
    }
    this.hashText += line;
    if (this.hashText.length >= HASH_TEXT_CHARS) {
      this.flushHash();
    }
  }

  private flushHash(): void {
    const segment = this.runSegment;
    if (segment !== undefined) {
      const end = segment.lineEnds[this.runEnd - 1];
      this.hash.update(segment.lines.subarray(lineStart(segment, this.runStart), end));
      this.runSegment = undefined;
    }
    if (this.hashText !== '') {
      this.hash.update(this.hashText);
      this.hashText = '';
    }
  }
}
