/**
 * `COPY --from` with a wildcard source: the entries of the source image that
 * match, at the pattern's depth, go into the destination folder (a matched
 * folder's contents, a matched file under its name), as the classic builder
 * copies them.
 */
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import type { DockerignoreMatcher } from '@gantry/cache';
import type { Header } from 'tar-stream';
import { cleanSource, globToRegExp, isPattern } from '../context/match-sources.js';
import { pathAfterPivot } from '../context/parent-paths.js';
import { ParentsPattern } from '../context/parents-pattern.js';
import { type EntryAttributes, rewriteArchive } from '../context/rewrite-archive.js';
import type { BuildSession } from '../session.js';
import { noSourceMatch, type SourceImage } from './copy-from-source.js';
import { pathExists } from './create-folder.js';
import { addSourceParents, type ParentFolders } from './source-parent-folders.js';

/** Options of {@link copyPattern}. */
export interface CopyPatternOptions {
  /** Container of the source image, never started. */
  readonly sourceId: string;
  /** Reads the engine's archive of a path in the source container. */
  readonly readArchive: (path: string) => Promise<Readable>;
  /** The step's container. */
  readonly containerId: string;
  /** Absolute pattern in the source image, such as `/app/*.js`. */
  readonly pattern: string;
  /** The source as written, for the error of a pattern that matches nothing. */
  readonly source: string;
  /** Destination folder in the step's container. */
  readonly destination: string;
  readonly attributes: EntryAttributes;
  /** `--exclude` patterns, matched relative to the folder above the first wildcard part. */
  readonly exclude?: DockerignoreMatcher | undefined;
  /** The image `--from` names, for the error of a pattern that matches nothing. */
  readonly image: SourceImage;
  /** `--parents`: the pivot of the source and the folders recorded above its matches. */
  readonly parents?: PatternParents | undefined;
  /** Whether a pattern that matches nothing is skipped rather than an error. */
  readonly mayMatchNothing?: boolean;
}

/** Pivot and parent folders of a pattern under `COPY --from --parents`. */
export interface PatternParents {
  /** The pivot, relative to `/` of the source image (`''` for the root). */
  readonly pivot: string;
  /** Receives the folders between the pivot and each match. */
  readonly folders: ParentFolders;
}

/**
 * Streams the folder above the pattern's first wildcard part out of the
 * source container and puts only the matching entries into the step's
 * container, in one pass. Returns the tar type of the first match, in the
 * archive's order (`directory`, `file`...). With `parents`, each match keeps
 * its path after the pivot, and its parent folders are recorded there.
 * NOTE: the whole folder above the first wildcard passes through the client,
 * so `/usr/lib/*.so` reads all of /usr/lib. The engine's archive API cannot
 * list a folder without its content.
 *
 * @throws BuildError `ERR_COPY_SOURCE` when nothing matches, or the folder above the first
 *   wildcard part is missing, unless `mayMatchNothing` is set.
 */
export async function copyPattern(
  session: BuildSession,
  options: CopyPatternOptions,
): Promise<string | undefined> {
  const { engine, signal } = session;
  const relative = cleanSource(options.pattern);
  const parts = relative.split('/');
  const fixed = parts.findIndex((part) => isPattern(part));
  const base = `/${parts.slice(0, fixed).join('/')}`;
  // The engine returns 404 for the archive of a missing folder, so the folder is checked first.
  if (!(await pathExists(session, options.sourceId, base))) return noMatch(options);
  const matcher = new PatternTargets(relative, base, options);
  const archive = await options.readArchive(base);
  const rewritten = rewriteArchive(
    archive,
    (name, type, header) => matcher.target(name, type, header),
    options.attributes,
  );
  await engine.archives.put(options.containerId, { path: '/', archive: rewritten, signal });
  if (matcher.matches === 0) return noMatch(options);
  if (options.parents !== undefined) {
    // The archive starts at `base`, so the folders between the pivot and `base` are read on their own.
    const { sourceId, destination } = options;
    const { pivot, folders } = options.parents;
    await addSourceParents(session, folders, { sourceId, pivot, path: base.slice(1), destination });
  }
  return matcher.firstMatchType;
}

/** Returns undefined for a pattern that may match nothing, else throws that it matched nothing. */
function noMatch(options: CopyPatternOptions): undefined {
  if (options.mayMatchNothing === true) return undefined;
  throw noSourceMatch(options.source, options.image);
}

/** Maps the names of an archive of `base` to their places under the destination. */
class PatternTargets {
  /** Entries that matched the pattern itself, not counting what matched folders contain. */
  matches = 0;
  /** Tar type of the first entry that matched the pattern itself. */
  firstMatchType: string | undefined;
  private readonly pattern: SourcePattern;
  private readonly base: string;
  private readonly destination: string;
  private readonly exclude: DockerignoreMatcher | undefined;
  private readonly parents: PatternParents | undefined;
  /** With `--parents`: folders that do not match, by path from `/`, as parents of later matches. */
  private readonly pending = new Map<string, Header>();

  constructor(relative: string, base: string, options: CopyPatternOptions) {
    const { parents, source } = options;
    this.pattern =
      parents === undefined
        ? new FixedDepthPattern(relative)
        : new ParentsPattern(relative, parents.pivot, source);
    this.base = base;
    this.destination = options.destination;
    this.exclude = options.exclude;
    this.parents = options.parents;
  }

  /** Returns the new name of an entry (relative to `/`), or undefined to leave it out. */
  target(name: string, type: string | undefined, header?: Header): string | undefined {
    const path = this.absolute(name);
    const parts = path.slice(1).split('/');
    const depth = this.pattern.matchDepth(parts);
    if (depth === undefined) {
      if (this.parents !== undefined && header?.type === 'directory') {
        this.pending.set(parts.join('/'), header);
      }
      return undefined;
    }
    const isMatch = parts.length === depth;
    if (this.excluded(path)) {
      // An excluded match still counts: the pattern matched, as with context sources.
      if (isMatch) this.matches += 1;
      return undefined;
    }
    if (isMatch) {
      this.matches += 1;
      this.firstMatchType ??= type;
    }
    if (this.parents !== undefined) return this.withParents(parts, isMatch, type);
    if (!isMatch) return posix.join(this.destination, ...parts.slice(depth)).slice(1);
    // A matched folder's contents go into the destination; the folder itself does not.
    if (type === 'directory') return undefined;
    return posix.join(this.destination, parts[depth - 1] ?? '').slice(1);
  }

  /**
   * Returns the name of a match or of an entry below one under `--parents`:
   * its path after the pivot. A match's parent folders after the pivot are
   * recorded first, from the headers the archive had for them.
   */
  private withParents(
    parts: readonly string[],
    isMatch: boolean,
    type: string | undefined,
  ): string | undefined {
    const { pivot, folders } = this.parents as PatternParents;
    const preserved = pathAfterPivot(parts.join('/'), pivot);
    if (isMatch) {
      const pivotParts = pivot === '' ? 0 : pivot.split('/').length;
      for (let length = pivotParts + 1; length < parts.length; length++) {
        const folder = parts.slice(0, length).join('/');
        const header = this.pending.get(folder);
        const target = posix.join(this.destination, pathAfterPivot(folder, pivot));
        if (header !== undefined) folders.add(target, header);
      }
    }
    // A match that is the pivot itself adds only what it contains, as from the context.
    if (preserved === '') return undefined;
    const target = posix.join(this.destination, preserved);
    if (type === 'directory') folders.markWritten(target);
    return target.slice(1);
  }

  /** Returns whether `--exclude` leaves out an entry, by its path below the pattern's folder. */
  private excluded(path: string): boolean {
    if (this.exclude === undefined) return false;
    const below = this.base === '/' ? path.slice(1) : path.slice(this.base.length + 1);
    return this.exclude.excludes(below);
  }

  /**
   * Returns the absolute path of an archive entry: the engine names the
   * entries of `/dir` as `dir/...`, and those of `/` as `/...`.
   */
  private absolute(name: string): string {
    const clean = name.replace(/\/+$/, '');
    if (clean.startsWith('/')) return posix.normalize(clean);
    return posix.join(posix.dirname(this.base), clean);
  }
}

/** Matches an archive path, split into parts, against a source pattern. */
interface SourcePattern {
  /** Returns the number of parts of the leading part that matches, or undefined for no match. */
  matchDepth(parts: readonly string[]): number | undefined;
}

/**
 * A pattern with Go's `filepath.Match` rules, as the classic builder matches
 * `COPY --from` sources: it matches paths of its own depth, `**` as `*`.
 */
class FixedDepthPattern implements SourcePattern {
  private readonly pattern: RegExp;
  private readonly depth: number;

  constructor(relative: string) {
    this.pattern = globToRegExp(relative);
    this.depth = relative.split('/').length;
  }

  matchDepth(parts: readonly string[]): number | undefined {
    if (parts.length < this.depth) return undefined;
    return this.pattern.test(parts.slice(0, this.depth).join('/')) ? this.depth : undefined;
  }
}
