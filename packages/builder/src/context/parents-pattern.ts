/**
 * Wildcard sources of `COPY --parents`, matched as BuildKit's Dockerfile
 * frontend matches them (moby/buildkit `dockerfile2llb/convert_copy.go`,
 * tonistiigi/fsutil `copy/copy.go`). BuildKit cuts the source at its first
 * `/./` pivot. The part before it is resolved with Go's `filepath.Match`,
 * where `**` is `*`, and the part after it becomes an include pattern of
 * moby/patternmatcher. There `**` matches zero or more folders, and a path
 * is copied when it or a folder above it matches.
 */
import { DockerignoreMatcher, type Pattern } from '@gantry/cache';
import { BuildError } from '../errors.js';
import { globToRegExp } from './match-sources.js';

/**
 * One `--parents` source with a wildcard: `x/./**\/*.txt` matches `x/a.txt`,
 * `x/b/a.txt` and `x/b/c/d/a.txt`. `**` first (`**\/a.txt`) also matches
 * `a.txt` at the top. `**` last (`x/**`) matches everything below `x` but not
 * `x`, so the copy creates `x` only as the parent folder of its matches.
 */
export class ParentsPattern {
  /** The pivot with `filepath.Match` rules, or undefined when the pivot is the source root. */
  private readonly pivot: RegExp | undefined;
  private readonly pivotDepth: number;
  /**
   * The part after the pivot, or undefined when it matches nothing: an
   * exception (`!x`) or an empty part.
   */
  private readonly include: Pattern | undefined;

  /**
   * @param path - the source cleaned, relative to the source root, with the pivot's `/./` removed
   * @param pivot - the pivot, cleaned and relative to the source root (`''` for the root)
   * @param source - the source as written, for the error message
   * @throws BuildError `ERR_COPY_SOURCE` for a malformed pattern, such as an unclosed `[`
   */
  constructor(path: string, pivot: string, source: string) {
    this.pivotDepth = pivot === '' ? 0 : pivot.split('/').length;
    this.pivot = pivot === '' ? undefined : globToRegExp(pivot);
    const rest = path.split('/').slice(this.pivotDepth).join('/');
    const included = compileInclude(rest, source).patterns[0];
    this.include = included?.exclusion === false ? included : undefined;
  }

  /**
   * Returns the number of parts of the shortest leading part of `parts` that
   * matches, or undefined when neither the path nor a folder above it
   * matches. A result below `parts.length` means the path is inside a match.
   */
  matchDepth(parts: readonly string[]): number | undefined {
    if (this.include === undefined || parts.length <= this.pivotDepth) return undefined;
    if (this.pivot !== undefined) {
      if (!this.pivot.test(parts.slice(0, this.pivotDepth).join('/'))) return undefined;
    }
    for (let depth = this.pivotDepth + 1; depth <= parts.length; depth++) {
      if (this.include.test(parts.slice(this.pivotDepth, depth).join('/'))) return depth;
    }
    return undefined;
  }

  /** Returns whether a path matches while no folder above it does. */
  matchesOutermost(path: string): boolean {
    const parts = path.split('/');
    return this.matchDepth(parts) === parts.length;
  }
}

/**
 * Compiles the part after the pivot as moby/patternmatcher does, which
 * `.dockerignore` also uses.
 */
function compileInclude(rest: string, source: string): DockerignoreMatcher {
  try {
    return new DockerignoreMatcher([rest]);
  } catch (cause) {
    throw new BuildError(
      'ERR_COPY_SOURCE',
      `invalid --parents source pattern ${source}: ${rest} is not a valid pattern; fix its wildcards, for example close each [ or escape it as \\[`,
      { cause },
    );
  }
}
