/**
 * Decides which build-context paths `.dockerignore` excludes, as Docker's
 * `PatternMatcher` and the context walk of `pkg/archive` do.
 */
import { compilePattern, type DockerignoreRules, type Pattern } from './pattern.js';

/** Options of {@link DockerignoreMatcher}. */
export interface DockerignoreMatcherOptions {
  /** Rule set to follow; `moby` (Docker 23 and later, BuildKit) unless set. */
  readonly rules?: DockerignoreRules;
}

/**
 * Matches context paths against `.dockerignore` patterns. The last pattern that
 * matches a path decides: a plain pattern excludes it, an `!` pattern includes
 * it again. A pattern that matches a parent folder matches the path too.
 */
export class DockerignoreMatcher {
  /** The compiled patterns, in file order. */
  readonly patterns: readonly Pattern[];
  /** Rule set in use. */
  readonly rules: DockerignoreRules;
  /** Whether any pattern is an exception (`!`). */
  readonly hasExclusions: boolean;

  /** @throws DockerignorePatternError for a pattern Docker would reject. */
  constructor(patterns: readonly string[], options: DockerignoreMatcherOptions = {}) {
    this.rules = options.rules ?? 'moby';
    this.patterns = patterns
      .map((pattern) => compilePattern(pattern, this.rules))
      .filter((pattern): pattern is Pattern => pattern !== undefined);
    this.hasExclusions = this.patterns.some((pattern) => pattern.exclusion);
  }

  /**
   * Returns whether `.dockerignore` excludes a `/`-separated path relative to
   * the context root. `moby` checks every parent folder against each pattern;
   * `docker-20.10` checks only the parent as deep as the pattern, so `**\/x`
   * does not exclude `a/b/x/y` there.
   */
  excludes(path: string): boolean {
    if (this.patterns.length === 0) {
      return false;
    }
    const parents = parentFolders(path);
    let excluded = false;
    for (const pattern of this.patterns) {
      if (pattern.exclusion !== excluded) {
        continue;
      }
      if (pattern.test(path) || this.matchesParent(pattern, parents)) {
        excluded = !pattern.exclusion;
      }
    }
    return excluded;
  }

  /**
   * Returns whether an excluded folder must still be walked because an
   * exception pattern names a path inside it. Docker compares the pattern text
   * as a prefix, so `!keep/**\/*.log` reopens `keep` but `!**\/*.log` reopens nothing.
   */
  walksExcludedFolder(folder: string): boolean {
    const prefix = `${folder}/`;
    return this.patterns.some(
      (pattern) => pattern.exclusion && `${pattern.text}/`.startsWith(prefix),
    );
  }

  private matchesParent(pattern: Pattern, parents: readonly string[]): boolean {
    if (this.rules === 'docker-20.10') {
      const parent = parents[pattern.depth - 1];
      return parent !== undefined && pattern.test(parent);
    }
    return parents.some((parent) => pattern.test(parent));
  }
}

/** Returns the parent folders of a path, shortest first: `a/b/c` gives `a`, `a/b`. */
function parentFolders(path: string): string[] {
  const parents: string[] = [];
  let index = path.indexOf('/');
  while (index !== -1) {
    parents.push(path.slice(0, index));
    index = path.indexOf('/', index + 1);
  }
  return parents;
}
