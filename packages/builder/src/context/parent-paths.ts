/**
 * `COPY --parents`: each source keeps its parent folders under the
 * destination, as `cp --parents` and `rsync --relative` do. A `/./` in the
 * source is the pivot: only the folders after it are kept, so
 * `x/./y/*.txt` lands as `<dest>/y/a.txt`.
 */
import { posix } from 'node:path';
import type { ContextEntry } from '@gantry/cache';
import type { ContextFiles } from './context-files.js';
import {
  cleanSource,
  isPattern,
  type MatchedSource,
  matchEntries,
  matchSource,
} from './match-sources.js';
import type { CopyEntry } from './pack-sources.js';
import { ParentsPattern } from './parents-pattern.js';

/**
 * Matches one source of `COPY --parents` as {@link matchSource} does, except
 * that a wildcard source follows BuildKit's `--parents` rules, where `**`
 * matches zero or more folders (see {@link ParentsPattern}). A match inside
 * a folder that also matches is left out, because the folder's copy contains it.
 */
export function matchParentsSource(context: ContextFiles, source: string): MatchedSource[] {
  const path = cleanSource(source);
  if (!isPattern(path)) return matchSource(context, source);
  const pattern = new ParentsPattern(path, pivotOf(source), source);
  return matchEntries(context, source, (entryPath) => pattern.matchesOutermost(entryPath));
}

/**
 * Places matched sources under `destination` (always a folder here) with
 * their paths from the pivot, the parent folders included as the context
 * has them (mode), so that they are created as in the source.
 */
export function placeWithParents(
  context: ContextFiles,
  sources: readonly MatchedSource[],
  destination: string,
): CopyEntry[] {
  const placed = new Map<string, CopyEntry>();
  const add = (entry: ContextEntry, target: string) => {
    if (!placed.has(target)) placed.set(target, { entry, target });
  };
  for (const source of sources) {
    if (source.origin !== undefined) {
      const target = posix.join(destination, source.name);
      placed.set(target, { entry: source.entry, target, origin: source.origin });
      continue;
    }
    const pivot = pivotOf(source.source);
    const preserved = pathAfterPivot(source.matchedPath, pivot);
    // With a wildcard part in the pivot (`*/./y`), parents are looked up below the folder matched.
    const matchedPivot = source.matchedPath.slice(0, source.matchedPath.length - preserved.length);
    for (const folder of parentFolders(preserved)) {
      const entry = context.byPath.get(posix.join(matchedPivot, folder));
      if (entry?.type === 'dir') add(entry, posix.join(destination, folder));
    }
    placeSource(source, posix.join(destination, preserved), add);
  }
  return [...placed.values()];
}

/** Adds the source at `target`; a folder that is the pivot itself only adds what it contains. */
function placeSource(
  source: MatchedSource,
  target: string,
  add: (entry: ContextEntry, target: string) => void,
): void {
  if (source.matchedPath !== '' && !target.endsWith('/')) add(source.entry, target);
  if (source.entry.type !== 'dir') return;
  const prefix = source.entry.path === '' ? '' : `${source.entry.path}/`;
  for (const child of source.children) {
    add(child, posix.join(target, child.path.slice(prefix.length)));
  }
}

/**
 * Returns the folder, relative to the source root (the build context or `/`
 * of the `--from` image), after which parents are kept: the part before the
 * first `/./` of the source, or the root. BuildKit's Dockerfile frontend cuts
 * the source at its first `/./` too (`strings.Cut` in `convert_copy.go`).
 */
export function pivotOf(source: string): string {
  const index = source.indexOf('/./');
  return index <= 0 ? '' : cleanSource(source.slice(0, index));
}

/**
 * Returns the part of a matched path after the pivot, both relative to the
 * source root: `x/y/a.txt` after `x` is `y/a.txt`. The pivot is cut by path
 * parts, so a pivot with a wildcard part (`x/*`) cuts one part of the match.
 */
export function pathAfterPivot(matchedPath: string, pivot: string): string {
  if (pivot === '') return matchedPath;
  return matchedPath.split('/').slice(pivot.split('/').length).join('/');
}

/** Returns the folders above a relative path, outermost first: `a/b/c` gives `a`, `a/b`. */
export function parentFolders(path: string): string[] {
  const parts = path.split('/').slice(0, -1);
  return parts.map((_, index) => parts.slice(0, index + 1).join('/'));
}
