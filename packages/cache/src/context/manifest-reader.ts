/**
 * Reads the segments of a context manifest in file order. A missing file, a
 * wrong file header or a segment that does not decode ends the manifest there,
 * never with an error: the stat cache is only an accelerator.
 *
 * Reads are synchronous and sequential, one window of at least 1 MiB at a time,
 * like the walk's `lstatSync` calls, which the same run makes between them.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import {
  decodeSegment,
  SEGMENT_HEADER_BYTES,
  type Segment,
  segmentLength,
} from './manifest-segment.js';

/** First bytes of every manifest; a file that starts otherwise is ignored. */
export const MANIFEST_HEADER = Buffer.from('gantry.context-manifest.v5\n\0\0\0\0\0');

/** Bytes read from the manifest at once, unless a segment is larger. */
const WINDOW_BYTES = 1024 * 1024;
/** Largest segment read; a larger declared length is taken as garbled. */
const MAX_SEGMENT_BYTES = 256 * 1024 * 1024;

/** Sequential reader of one manifest file. */
export class ManifestReader {
  private fd: number | undefined;
  /** Set once a segment is missing or does not decode; the descriptor stays open for copies. */
  private ended = false;
  private buffer = Buffer.allocUnsafeSlow(0);
  /** The bytes of `buffer` read by the last fill. */
  private window = this.buffer;
  /** File offset of `window[0]`. */
  private windowStart = 0;
  /** File offset of the next segment. */
  private offset = MANIFEST_HEADER.length;
  /** Size of the file when it was opened; 0 when it is missing or not a manifest. */
  readonly byteLength: number = 0;

  /** Opens `file`; a missing file or a wrong header reads as an empty manifest. */
  constructor(file: string) {
    try {
      this.fd = openSync(file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw error;
      }
      return;
    }
    try {
      const header = Buffer.alloc(MANIFEST_HEADER.length);
      readSync(this.fd, header, 0, header.length, 0);
      if (!header.equals(MANIFEST_HEADER)) {
        this.close();
        return;
      }
      this.byteLength = fstatSync(this.fd).size;
    } catch (error) {
      this.close();
      throw error;
    }
  }

  /** Returns the next segment, or undefined at the end of the valid part of the file. */
  next(): Segment | undefined {
    if (this.fd === undefined || this.ended) {
      return undefined;
    }
    const length = this.fill(SEGMENT_HEADER_BYTES) ? this.declaredLength() : undefined;
    if (length === undefined || length > MAX_SEGMENT_BYTES || !this.fill(length)) {
      this.ended = true;
      return undefined;
    }
    // The copy gives the segment its own 8-byte aligned memory for its typed-array columns.
    const raw = Buffer.allocUnsafeSlow(length);
    const start = this.offset - this.windowStart;
    this.window.copy(raw, 0, start, start + length);
    const segment = decodeSegment(raw, this.offset);
    if (segment === undefined) {
      this.ended = true;
      return undefined;
    }
    this.offset += length;
    return segment;
  }

  /**
   * Passes the file's bytes from `start` to `end` to `write`, in new buffers
   * of up to 1 MiB. It reads through the open descriptor, so it copies from
   * the file it has been reading even if another process has renamed a new
   * manifest over the path since.
   */
  copyRange(start: number, end: number, write: (chunk: Buffer) => void): void {
    for (let position = start; position < end && this.fd !== undefined; ) {
      const chunk = Buffer.allocUnsafe(Math.min(end - position, WINDOW_BYTES));
      const bytesRead = readSync(this.fd, chunk, 0, chunk.length, position);
      if (bytesRead === 0) {
        return;
      }
      write(chunk.subarray(0, bytesRead));
      position += bytesRead;
    }
  }

  /** Closes the file; later calls of {@link next} return undefined. */
  close(): void {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }

  private declaredLength(): number | undefined {
    return segmentLength(this.window, this.offset - this.windowStart);
  }

  /** Makes the window hold `length` bytes from the next segment's offset; false at the end of the file. */
  private fill(length: number): boolean {
    const start = this.offset - this.windowStart;
    if (start + length <= this.window.length) {
      return true;
    }
    const size = Math.max(length, WINDOW_BYTES);
    if (this.buffer.length < size) {
      this.buffer = Buffer.allocUnsafeSlow(size);
    }
    const bytesRead = readSync(this.fd as number, this.buffer, 0, size, this.offset);
    this.window = this.buffer.subarray(0, bytesRead);
    this.windowStart = this.offset;
    return bytesRead >= length;
  }
}
