/**
 * The `lstat` fields that decide whether a stat cache entry is reused:
 * `st_mode`, size, inode, device, and the modification and change times in
 * ns. Each is a 64-bit integer in the machine's byte order, because the stat
 * cache never leaves the machine. The change time is kept beside the
 * modification time because tools that restore an mtime (`touch -r`,
 * `rsync -t`, `tar -x`) cannot restore a ctime.
 */
import type { BigIntStats } from 'node:fs';

/** 64-bit fields stored per entry. */
export const STAT_FIELDS = 6;
/** 32-bit words per entry, the unit in which fields are compared. */
export const STAT_WORDS = STAT_FIELDS * 2;
/** Bytes per entry. */
export const STAT_BYTES = STAT_FIELDS * 8;

const scratch = new BigInt64Array(STAT_FIELDS);
const scratchWords = new Int32Array(scratch.buffer);

/**
 * Packs the compared fields of `stats` into shared scratch space and returns
 * it as 32-bit words. The words stay valid until the next call. Comparing
 * words allocates nothing, where comparing the bigints would.
 */
export function packStats(stats: BigIntStats): Int32Array {
  scratch[0] = stats.mode;
  scratch[1] = stats.size;
  scratch[2] = stats.ino;
  scratch[3] = stats.dev;
  scratch[4] = stats.mtimeNs;
  scratch[5] = stats.ctimeNs;
  return scratchWords;
}

/** Returns whether entry `index` of a stats column contains the same words as `packed`. */
export function sameStatWords(column: Int32Array, index: number, packed: Int32Array): boolean {
  const start = index * STAT_WORDS;
  for (let word = 0; word < STAT_WORDS; word++) {
    if (column[start + word] !== packed[word]) {
      return false;
    }
  }
  return true;
}
