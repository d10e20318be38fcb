/** Entry types and records of a digested build context. */
import type { FileInput } from '../cache-key.js';
import { cleanPath } from '../dockerignore/clean-path.js';

/** Type of a build-context entry. `other` covers FIFOs and devices, which are never read. */
export type EntryType = 'file' | 'dir' | 'symlink' | 'other';

/** One entry of a digested build context, in walk order. */
export interface ContextEntry {
  /** Path relative to the context root, `/`-separated. */
  readonly path: string;
  /** Entry type. */
  readonly type: EntryType;
  /** `st_mode & 0o7777`. */
  readonly mode: number;
  /** Size in bytes (`st_size`; for a symlink the length of its target). */
  readonly size: number;
  /** `sha256:<hex>` of the content (file) or of the target text (symlink); empty otherwise. */
  readonly digest: string;
  /** Target text of a symlink, as stored in the link; never resolved. */
  readonly linkTarget?: string;
}

/** Converts a context entry to the form a cache key takes. */
export function toFileInput(entry: ContextEntry): FileInput {
  return { path: entry.path, type: entry.type, mode: entry.mode, digest: entry.digest };
}

/**
 * Returns whether `path` is `source` or lies under it. The source is cleaned
 * first (`./website/.` is `website`, a leading `/` means the context root),
 * and a source of `.` covers the whole context.
 */
export function isUnder(path: string, source: string): boolean {
  const cleaned = cleanPath(`/${source}`).slice(1);
  if (cleaned === '') {
    return true;
  }
  return path === cleaned || path.startsWith(`${cleaned}/`);
}
