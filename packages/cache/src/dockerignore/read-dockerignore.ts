/**
 * Reading `.dockerignore` into patterns, with the line rules of Docker's
 * `ignorefile.ReadAll` (moby/patternmatcher) and of the 20.10 CLI, which agree.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ContextError } from '../errors.js';
import { cleanPath } from './clean-path.js';

/** File name Docker reads ignore patterns from, at the context root. */
export const DOCKERIGNORE_FILE = '.dockerignore';

/**
 * Parses `.dockerignore` text into patterns.
 *
 * A UTF-8 byte order mark on the first line is dropped. A line that starts
 * with `#` in its first column is a comment, but a line with a space before
 * `#` is a pattern. Each line is trimmed and blank lines are skipped. The text
 * after a leading `!` is trimmed again, then cleaned as Go's `filepath.Clean`
 * does, and one leading `/` is dropped. `!` stays in front.
 */
export function parseDockerignore(text: string): string[] {
  const patterns: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.startsWith('#')) {
      continue;
    }
    const pattern = normalizeLine(line.trim());
    if (pattern !== undefined) {
      patterns.push(pattern);
    }
  }
  return patterns;
}

/**
 * Reads and parses `<contextDir>/.dockerignore`; returns no patterns when the
 * file does not exist.
 *
 * @throws ContextError (`CONTEXT_UNREADABLE`) when the file exists but cannot be read.
 */
export async function readDockerignore(contextDir: string): Promise<string[]> {
  try {
    return parseDockerignore(await readFile(join(contextDir, DOCKERIGNORE_FILE), 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      return [];
    }
    const path = join(contextDir, DOCKERIGNORE_FILE);
    throw new ContextError(
      'CONTEXT_UNREADABLE',
      path,
      `Cannot read ${JSON.stringify(path)} (${code ?? 'error'}); ` +
        'make it a readable file or remove it.',
      { cause: error },
    );
  }
}

function normalizeLine(line: string): string | undefined {
  if (line === '') {
    return undefined;
  }
  const negated = line.startsWith('!');
  let pattern = negated ? line.slice(1).trim() : line;
  if (pattern.length > 0) {
    pattern = cleanPath(pattern);
    if (pattern.length > 1 && pattern.startsWith('/')) {
      pattern = pattern.slice(1);
    }
  }
  return negated ? `!${pattern}` : pattern;
}
