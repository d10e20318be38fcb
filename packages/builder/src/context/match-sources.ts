/** Matching COPY and ADD sources against the build context, as the classic builder does. */
import { posix } from 'node:path';
import type { ContextEntry } from '@gantry/cache';
import { BuildError } from '../errors.js';
import type { ContextFiles } from './context-files.js';

/** One source of a COPY or ADD after matching: an entry and, for a folder, what it holds. */
export interface MatchedSource {
  /** The source as written, after variable expansion. */
  readonly source: string;
  /** The file name the copy gives a file source: the last part of its path, before links. */
  readonly name: string;
  /** The path the source matched, relative to the context root, before links are followed. */
  readonly matchedPath: string;
  /** The entry the path leads to, symbolic links followed. */
  readonly entry: ContextEntry;
  /** For a folder: every entry under it, in walk order. */
  readonly children: readonly ContextEntry[];
  /** Data source of a source that is not a context file. */
  readonly origin?: SourceOrigin | undefined;
}

/** Data of a source that is not a context file: a heredoc's text or a downloaded file. */
export type SourceOrigin =
  | { readonly kind: 'inline'; readonly content: Buffer }
  | { readonly kind: 'download'; readonly file: string; readonly mtime: Date | undefined };

const WILDCARD = /[*?[]/;

/** Symbolic links followed while resolving one source, as a guard against loops. */
const MAX_LINKS = 40;

/**
 * Matches each source: a path names one entry, a pattern with `*`, `?` or
 * `[...]` every entry at that depth it matches. `.` is the whole context.
 * Symbolic links along a source's path, the last part included, are followed
 * as the classic builder follows them. Links inside a copied folder stay links.
 * A pattern that matches nothing is skipped while another source matches, as
 * in the classic builder (`COPY package*.json yarn.lock* ./`).
 *
 * @throws BuildError `ERR_COPY_SOURCE` for a path or link target outside the
 * context, a missing path, or sources that all match nothing.
 */
export function matchSources(context: ContextFiles, sources: readonly string[]): MatchedSource[] {
  const matched = sources.flatMap((source) => matchSource(context, source));
  const first = sources[0];
  if (matched.length === 0 && first !== undefined) throw notFound(first);
  return matched;
}

/** Returns whether a source is a wildcard pattern. */
export function isPattern(source: string): boolean {
  return WILDCARD.test(source);
}

/**
 * Matches one source as {@link matchSources} does, but returns no sources for
 * a pattern that matches nothing.
 */
export function matchSource(context: ContextFiles, source: string): MatchedSource[] {
  const path = cleanSource(source);
  if (path === '') return [rootSource(context, source)];
  if (!isPattern(path)) return [followedSource(context, source, path)];
  const pattern = globToRegExp(path);
  return matchEntries(context, source, (entryPath) => pattern.test(entryPath));
}

/**
 * Returns a wildcard source's matches among the context entries, in walk
 * order, following the symbolic links along each matched path.
 */
export function matchEntries(
  context: ContextFiles,
  source: string,
  matches: (path: string) => boolean,
): MatchedSource[] {
  const found = context.entries.filter((entry) => matches(entry.path));
  return found.map((entry) => followedSource(context, source, entry.path));
}

function followedSource(context: ContextFiles, source: string, path: string): MatchedSource {
  const resolved = followLinks(context, source, path);
  const name = posix.basename(path);
  if (resolved === '') return { ...rootSource(context, source), name, matchedPath: path };
  const entry = context.byPath.get(resolved);
  if (entry === undefined) throw notFound(source);
  return { ...withChildren(context, source, name, entry), matchedPath: path };
}

/**
 * Returns the path, relative to the context root, that `path` leads to once
 * every symbolic link along it is followed.
 */
function followLinks(context: ContextFiles, source: string, path: string): string {
  const pending = path.split('/');
  let resolved = '';
  let links = 0;
  for (let part = pending.shift(); part !== undefined; part = pending.shift()) {
    const current = resolved === '' ? part : `${resolved}/${part}`;
    const entry = context.byPath.get(current);
    if (entry?.type !== 'symlink') {
      resolved = current;
      continue;
    }
    links += 1;
    if (links > MAX_LINKS) throw linkLoop(source);
    const target = linkDestination(source, current, entry.linkTarget ?? '');
    pending.unshift(...target.split('/').filter((item) => item !== ''));
    resolved = '';
  }
  return resolved;
}

/** Returns where a link points, relative to the context root, and rejects a target outside it. */
function linkDestination(source: string, link: string, target: string): string {
  const joined = posix.normalize(posix.join(posix.dirname(link), target));
  if (target.startsWith('/') || joined === '..' || joined.startsWith('../')) {
    throw new BuildError(
      'ERR_COPY_SOURCE',
      `forbidden path outside the build context: ${source} (${link} links to ${target}); copy only files inside the context folder`,
    );
  }
  return joined === '.' ? '' : joined;
}

/** Cleans a source path to a path relative to the context root; rejects one that leaves it. */
export function cleanSource(source: string): string {
  const normalized = posix.normalize(`/${source}`);
  if (posix.normalize(source).startsWith('../') || posix.normalize(source) === '..') {
    throw new BuildError(
      'ERR_COPY_SOURCE',
      `forbidden path outside the build context: ${source}; copy only files inside the context folder`,
    );
  }
  return normalized.replace(/^\/+/, '').replace(/\/+$/, '');
}

function rootSource(context: ContextFiles, source: string): MatchedSource {
  const entry: ContextEntry = { path: '', type: 'dir', mode: 0o755, size: 0, digest: '' };
  return { source, name: '', matchedPath: '', entry, children: context.entries };
}

function withChildren(
  context: ContextFiles,
  source: string,
  name: string,
  entry: ContextEntry,
): Omit<MatchedSource, 'matchedPath'> {
  if (entry.type !== 'dir') return { source, name, entry, children: [] };
  const prefix = `${entry.path}/`;
  const children = context.entries.filter((item) => item.path.startsWith(prefix));
  return { source, name, entry, children };
}

function linkLoop(source: string): BuildError {
  return new BuildError(
    'ERR_COPY_SOURCE',
    `too many levels of symbolic links in ${source}; check the links in the build context`,
  );
}

/** Returns the error for a source that is missing from the context or matches nothing there. */
export function notFound(source: string): BuildError {
  return new BuildError(
    'ERR_COPY_SOURCE',
    `file not found in build context or excluded by .dockerignore: ${source}; check the path and .dockerignore`,
  );
}

/**
 * Converts a Go `filepath.Match` pattern to a regular expression over whole
 * paths. A malformed pattern (an unclosed or empty `[...]`, a range with no
 * end, a trailing backslash) gives a regular expression that matches
 * nothing. `filepath.Match` returns `ErrBadPattern` for such a pattern, and
 * the classic builder of Docker Engine 20.10 reads that error as no match.
 */
export function globToRegExp(pattern: string): RegExp {
  let text = '';
  for (let index = 0; index < pattern.length; index++) {
    const character = pattern[index] ?? '';
    if (character === '*') text += '[^/]*';
    else if (character === '?') text += '[^/]';
    else if (character === '[') {
      const range = characterClass(pattern, index + 1);
      if (range === undefined) return MATCHES_NOTHING;
      text += range.text;
      index = range.end;
    } else if (character === '\\') {
      if (index + 1 === pattern.length) return MATCHES_NOTHING;
      text += escapeRegExp(pattern[++index] ?? '');
    } else text += escapeRegExp(character);
  }
  return new RegExp(`^${text}$`);
}

const MATCHES_NOTHING = /(?!)/;

/**
 * Reads the `[...]` class whose body starts at `start`, as `filepath.Match`
 * reads it: `^` or `!` negates, `lo-hi` is a range, a backslash escapes the
 * next character, and the class needs one range at least. Returns its
 * regular expression and the index of its `]`, or undefined when it is malformed.
 */
function characterClass(pattern: string, start: number): { text: string; end: number } | undefined {
  let index = start;
  const negated = pattern[index] === '^' || pattern[index] === '!';
  if (negated) index++;
  let ranges = '';
  while (!(pattern[index] === ']' && ranges !== '')) {
    const low = classCharacter(pattern, index);
    if (low === undefined) return undefined;
    index = low.next;
    let high = low;
    if (pattern[index] === '-') {
      const end = classCharacter(pattern, index + 1);
      if (end === undefined) return undefined;
      high = end;
      index = end.next;
    }
    ranges += `${escapeClass(low.character)}-${escapeClass(high.character)}`;
  }
  return { text: `[${negated ? '^' : ''}${ranges}]`, end: index };
}

/** Reads one character of a class, or returns undefined where `filepath.Match` finds none. */
function classCharacter(
  pattern: string,
  index: number,
): { character: string; next: number } | undefined {
  const character = pattern[index];
  if (character === undefined || character === '-' || character === ']') return undefined;
  if (character !== '\\') return { character, next: index + 1 };
  const escaped = pattern[index + 1];
  return escaped === undefined ? undefined : { character: escaped, next: index + 2 };
}

function escapeClass(character: string): string {
  return character.replace(/[\\\][^-]/g, '\\$&');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
