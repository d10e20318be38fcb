/**
 * `COPY --exclude` and `ADD --exclude`: patterns of files a copy leaves out,
 * matched as BuildKit matches them, with `.dockerignore` rules (Go's
 * `filepath.Match` per path, `**` for any depth, and a folder that matches
 * leaving out everything under it).
 */
import { DockerignoreMatcher } from '@gantry/cache';
import { cleanSource, isPattern, type MatchedSource } from './match-sources.js';

/**
 * Removes the excluded entries from matched sources. A pattern is matched
 * against a path relative to where the source starts: a folder source's own
 * folder, a wildcard's folder before its first wildcard part (so `hom*` reads
 * `home/a.txt`), or a file source's parent folder. A source that is itself
 * excluded is dropped whole.
 * NOTE: that a named file source (`COPY --exclude=a.txt a.txt /d/`) is left
 * out is gantry's reading of the reference, which shows only wildcard and
 * folder sources.
 */
export function excludeSources(
  sources: readonly MatchedSource[],
  patterns: readonly string[],
): MatchedSource[] {
  if (patterns.length === 0) return [...sources];
  const matcher = new DockerignoreMatcher(patterns);
  return sources.flatMap((source) => {
    const relative = relativeMatch(source);
    if (relative !== '' && matcher.excludes(relative)) return [];
    if (source.entry.type !== 'dir') return [source];
    const prefix = source.entry.path === '' ? '' : `${source.entry.path}/`;
    const children = source.children.filter((child) => {
      const inside = child.path.slice(prefix.length);
      return !matcher.excludes(relative === '' ? inside : `${relative}/${inside}`);
    });
    return [{ ...source, children }];
  });
}

/** Returns the path of the matched source relative to where its patterns apply. */
function relativeMatch(source: MatchedSource): string {
  if (source.origin !== undefined) return '';
  if (isPattern(source.source)) {
    const parts = cleanSource(source.source).split('/');
    const fixed = parts.findIndex((part) => isPattern(part));
    return source.matchedPath.split('/').slice(fixed).join('/');
  }
  return source.entry.type === 'dir' ? '' : source.name;
}

/**
 * Returns whether `--exclude` leaves out an entry of the engine's archive of
 * a folder (`base`, `base/...`), by its path below the folder. The folder's
 * own entry is never left out here.
 */
export function excludedInArchive(
  exclude: DockerignoreMatcher,
  archiveBase: string,
  entry: string,
): boolean {
  const clean = entry.replace(/\/+$/, '');
  const below = clean.startsWith(`${archiveBase}/`) ? clean.slice(archiveBase.length + 1) : '';
  return below !== '' && exclude.excludes(below);
}
