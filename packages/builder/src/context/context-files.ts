/**
 * The build context as the builder reads it: the digested entries that
 * `.dockerignore` keeps, and the size line the classic log prints.
 */
import { type ContextEntry, digestContext } from '@gantry/cache';

/** The digested build context of one build. */
export interface ContextFiles {
  /** The context folder as given. */
  readonly root: string;
  /** Entries kept by `.dockerignore`, in walk order, folders included. */
  readonly entries: readonly ContextEntry[];
  /** Entries by path relative to the context root. */
  readonly byPath: ReadonlyMap<string, ContextEntry>;
  /**
   * Size of the tar stream the classic builder would send for this context:
   * what gantry prints in `Sending build context to Docker daemon`, so the
   * log reads as the classic builder's. gantry itself sends only the files
   * a COPY or ADD reads, and only when the step misses the cache.
   */
  readonly classicSize: number;
}

/** Options of {@link readContext}. */
export interface ReadContextOptions {
  readonly contextDir: string;
  readonly signal?: AbortSignal | undefined;
}

const TAR_BLOCK = 512;
const IMPLIED_FOLDER_MODE = 0o755;

/**
 * Digests the context (reading only files changed since the last digest)
 * and lists its entries.
 * NOTE: keeps every entry's record in memory (about 200 bytes each); a
 * context of millions of files would need the lookups to stream instead.
 */
export async function readContext(options: ReadContextOptions): Promise<ContextFiles> {
  const digest = await digestContext({ contextDir: options.contextDir, signal: options.signal });
  const entries: ContextEntry[] = [];
  const paths = new Set<string>();
  let classicSize = 2 * TAR_BLOCK;
  for await (const entry of digest.read()) {
    if (entry.path === '' || entry.path === '.') continue;
    addImpliedFolders(entries, paths, entry.path);
    entries.push(entry);
    paths.add(entry.path);
    // The docker CLI's context tar has no header for an implied folder.
    classicSize += tarEntrySize(entry);
  }
  return {
    root: options.contextDir,
    entries,
    byPath: new Map(entries.map((entry) => [entry.path, entry])),
    classicSize,
  };
}

/**
 * Adds the folders above `path` that `.dockerignore` excluded while an
 * exception (`!folder/keep`) kept something inside them. The classic builder
 * and BuildKit both copy such a folder as part of the context, so `COPY
 * folder` finds it and `COPY --chown` owns it. It gets mode 0755, as the
 * classic builder creates it (BuildKit keeps the folder's own mode).
 */
function addImpliedFolders(entries: ContextEntry[], paths: Set<string>, path: string): void {
  const parts = path.split('/');
  for (let depth = 1; depth < parts.length; depth++) {
    const folder = parts.slice(0, depth).join('/');
    if (paths.has(folder)) continue;
    entries.push({ path: folder, type: 'dir', mode: IMPLIED_FOLDER_MODE, size: 0, digest: '' });
    paths.add(folder);
  }
}

/**
 * Size of a tar of the entries: a header block per entry, file data rounded
 * up to whole blocks, and two end blocks.
 * NOTE: leaves out the extra PAX header blocks that paths over 100 bytes
 * need, so such contexts print a slightly smaller size than the classic builder.
 */
export function classicTarSize(entries: readonly ContextEntry[]): number {
  let size = 2 * TAR_BLOCK;
  for (const entry of entries) size += tarEntrySize(entry);
  return size;
}

function tarEntrySize(entry: ContextEntry): number {
  const data = entry.type === 'file' ? Math.ceil(entry.size / TAR_BLOCK) * TAR_BLOCK : 0;
  return TAR_BLOCK + data;
}
