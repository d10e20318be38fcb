/** The entries of a context manifest as callers see them, for `ContextDigest.read`. */
import { type ContextEntry, isUnder } from './context-entry.js';
import { ManifestReader } from './manifest-reader.js';
import { flagsType, lineStart, SEGMENT_HEADER_BYTES, type Segment } from './manifest-segment.js';
import { STAT_FIELDS } from './stat-fields.js';
import { joinPath } from './walk-context.js';

/**
 * Streams the entries of a manifest in walk order, all of them or those equal
 * to or under one of `under`. A missing or garbled manifest ends the stream
 * early, never with an error.
 */
export async function* readManifestEntries(
  file: string,
  under: readonly string[] | undefined,
): AsyncGenerator<ContextEntry> {
  const reader = new ManifestReader(file);
  try {
    for (let segment = reader.next(); segment !== undefined; segment = reader.next()) {
      for (let index = 0; index < segment.count; index++) {
        const path = joinPath(segment.folder, segment.names[index] as string);
        if (under === undefined || under.some((source) => isUnder(path, source))) {
          yield toContextEntry(segment, index, path);
        }
      }
    }
  } finally {
    reader.close();
  }
}

/** Converts entry `index` of a segment to the entry callers see. */
export function toContextEntry(segment: Segment, index: number, path: string): ContextEntry {
  const fields = new BigInt64Array(
    segment.raw.buffer,
    segment.raw.byteOffset + SEGMENT_HEADER_BYTES + index * STAT_FIELDS * 8,
    2,
  );
  const line = segment.lines.toString('utf8', lineStart(segment, index), segment.lineEnds[index]);
  const entry = {
    path,
    type: flagsType(segment.flags[index] as number),
    mode: Number(fields[0]) & 0o7777,
    size: Number(fields[1]),
    // A line ends in ` <digest>\n`, and the digest is empty for folders and other entries.
    digest: line.slice(line.lastIndexOf(' ') + 1, -1),
  };
  const targetStart = index === 0 ? 0 : (segment.targetEnds[index - 1] as number);
  const targetEnd = segment.targetEnds[index] as number;
  if (targetEnd === targetStart) {
    return entry;
  }
  return { ...entry, linkTarget: segment.targets.toString('utf8', targetStart, targetEnd) };
}
