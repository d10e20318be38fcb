/**
 * The rule that keeps the Dockerfile and `.dockerignore` in the context the
 * client sends even when `.dockerignore` excludes them.
 */
import { cleanPath } from './clean-path.js';
import { DockerignoreMatcher } from './dockerignore-matcher.js';
import type { DockerignoreRules } from './pattern.js';
import { DOCKERIGNORE_FILE } from './read-dockerignore.js';

/** Options of {@link sentContextPatterns}. */
export interface SentContextOptions {
  /** Dockerfile path relative to the context root; `Dockerfile` unless set. */
  readonly dockerfile?: string;
  /** Set when the Dockerfile comes from standard input, so it is not in the context. */
  readonly dockerfileFromStdin?: boolean;
  /** Rule set; `moby` unless set. */
  readonly rules?: DockerignoreRules;
}

/**
 * Returns the patterns of the context the client sends: `patterns` plus
 * `!.dockerignore` and `!<dockerfile>` when `patterns` exclude those files, as
 * the Docker CLI does. The classic builder then deletes excluded build files
 * on the daemon side, so no COPY can read them. Use the plain patterns for what
 * a COPY can read.
 */
export function sentContextPatterns(
  patterns: readonly string[],
  options: SentContextOptions = {},
): string[] {
  const matcher = new DockerignoreMatcher(patterns, { rules: options.rules });
  const result = [...patterns];
  if (matcher.excludes(DOCKERIGNORE_FILE)) {
    result.push(`!${DOCKERIGNORE_FILE}`);
  }
  const dockerfile = cleanPath(options.dockerfile ?? 'Dockerfile');
  if (dockerfile !== '.' && !options.dockerfileFromStdin && matcher.excludes(dockerfile)) {
    result.push(`!${dockerfile}`);
  }
  return result;
}
