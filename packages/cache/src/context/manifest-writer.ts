/**
 * Writes the new manifest. While every segment is a byte-for-byte copy of the
 * previous manifest's segment at the same place, nothing is written. At the
 * first difference the equal prefix is copied from the previous manifest and
 * writing goes on into a temporary file that replaces the manifest on commit.
 * An unchanged context therefore writes nothing.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { MANIFEST_HEADER, type ManifestReader } from './manifest-reader.js';
import type { Segment } from './manifest-segment.js';

/** Bytes gathered before one write. */
const WRITE_BYTES = 1024 * 1024;

/** Writer of one manifest file, see the file header. */
export class ManifestWriter {
  private readonly file: string;
  private readonly previous: ManifestReader;
  private readonly temporary: string;
  private fd: number | undefined;
  /** Bytes gathered for the next write; segments are copied in, because the encoder reuses its buffer. */
  private pending = Buffer.alloc(0);
  private pendingBytes = 0;
  /** Length of the previous manifest's prefix that equals the output so far. */
  private equalPrefix = MANIFEST_HEADER.length;

  constructor(file: string, previous: ManifestReader) {
    this.file = file;
    this.previous = previous;
    this.temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  }

  /**
   * Appends a segment. `source` is the previous manifest's segment when `raw`
   * is that segment's bytes unchanged.
   */
  write(raw: Buffer, source?: Segment): void {
    if (this.fd === undefined && source?.offset === this.equalPrefix) {
      this.equalPrefix += raw.length;
      return;
    }
    this.start();
    this.append(raw);
  }

  /** Renames the new manifest over the previous one, unless nothing changed; returns whether it did. */
  commit(): boolean {
    if (this.fd === undefined) {
      if (this.previous.byteLength === this.equalPrefix) {
        return false;
      }
      this.start();
    }
    this.flush();
    closeSync(this.fd as number);
    this.fd = undefined;
    renameSync(this.temporary, this.file);
    return true;
  }

  /** Drops the temporary file. */
  abort(): void {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
    rmSync(this.temporary, { force: true });
  }

  /** Opens the temporary file and copies the equal prefix into it. */
  private start(): void {
    if (this.fd !== undefined) {
      return;
    }
    this.fd = openSync(this.temporary, 'w', 0o600);
    this.pending = Buffer.allocUnsafeSlow(WRITE_BYTES);
    this.append(MANIFEST_HEADER);
    this.previous.copyRange(MANIFEST_HEADER.length, this.equalPrefix, (chunk) =>
      this.append(chunk),
    );
  }

  /** Copies `bytes` into the pending buffer, writing it out whenever it fills. */
  private append(bytes: Buffer): void {
    if (this.pendingBytes + bytes.length > this.pending.length) {
      this.flush();
    }
    if (bytes.length > this.pending.length) {
      this.writeAll(bytes);
      return;
    }
    this.pendingBytes += bytes.copy(this.pending, this.pendingBytes);
  }

  private flush(): void {
    this.writeAll(this.pending.subarray(0, this.pendingBytes));
    this.pendingBytes = 0;
  }

  private writeAll(bytes: Buffer): void {
    for (let written = 0; written < bytes.length; ) {
      written += writeSync(this.fd as number, bytes, written);
    }
  }
}
