/**
 * The sources of a COPY or ADD, in the order written: heredocs, downloads of
 * an ADD's URLs, and context paths (`--exclude` applied), with the local
 * tar archives an ADD extracts set apart.
 */
import type { CopyInstruction } from '@gantry/dockerfile';
import { downloadPath, downloadSource, isUrlSource } from '../context/download-source.js';
import { excludeSources } from '../context/exclude-sources.js';
import { heredocSources, protectQuotes } from '../context/heredoc-sources.js';
import { type ArchiveCompression, archiveCompression } from '../context/local-archive.js';
import { type MatchedSource, matchSource, notFound } from '../context/match-sources.js';
import { matchParentsSource } from '../context/parent-paths.js';
import { BuildError } from '../errors.js';
import type { BuildSession } from '../session.js';
import { expandInState, type StageState } from '../stage-state.js';
import type { CopyFlags } from './copy-flags.js';

/** A local tar archive that ADD extracts. */
export interface LocalArchive {
  readonly source: MatchedSource;
  readonly compression: ArchiveCompression;
}

/**
 * Kind of a COPY or ADD source, as the classic builder copies it: a `folder`
 * (its contents), a local `archive` that ADD extracts, or a `file` (a heredoc
 * and a download too).
 */
export type SourceKind = 'file' | 'folder' | 'archive';

/** The sources of one COPY or ADD. */
export interface CopySources {
  /** Sources copied as they are. */
  readonly matched: readonly MatchedSource[];
  /** Local archives an ADD extracts into the destination. */
  readonly archives: readonly LocalArchive[];
  /** Kind of the first source in the order written, wildcard matches in their order. */
  readonly firstKind: SourceKind;
}

/** Options of {@link gatherSources}. */
export interface GatherOptions {
  readonly instruction: CopyInstruction;
  readonly state: StageState;
  /** The sources after variable expansion, heredoc markers as written. */
  readonly sources: readonly string[];
  readonly flags: CopyFlags;
  /** A folder for downloads, removed by the caller after the step. */
  readonly downloadFolder: () => Promise<string>;
}

/**
 * Gathers the sources of a COPY or ADD.
 *
 * @throws BuildError `ERR_DOCKERFILE` for a URL in a COPY or `--checksum`
 * with a source that is not a URL; `ERR_COPY_SOURCE` for a path that is not
 * in the context or a download that fails.
 */
export async function gatherSources(
  session: BuildSession,
  options: GatherOptions,
): Promise<CopySources> {
  const { instruction, state, flags } = options;
  checkSourceKinds(instruction, options.sources, flags);
  const expand = (text: string) => expandInState(state, protectQuotes(text, state.escape));
  const heredocs = heredocSources(options.sources, instruction.heredocs, expand);
  const matched: MatchedSource[] = [];
  const archives: LocalArchive[] = [];
  let firstKind: SourceKind | undefined;
  // A wildcard that matches nothing is skipped unless every source does so.
  let anyFound = false;
  for (const [index, source] of options.sources.entries()) {
    const inline = heredocs.find((item) => item.source === source);
    if (inline !== undefined) {
      matched.push(inline);
      firstKind ??= 'file';
      anyFound = true;
    } else if (isUrlSource(source)) {
      const file = downloadPath(await options.downloadFolder(), index);
      const { signal, options: buildOptions } = session;
      const { extraCaCertsFile } = buildOptions;
      const { checksum } = flags;
      matched.push(await downloadSource({ url: source, checksum, file, signal, extraCaCertsFile }));
      firstKind ??= 'file';
      anyFound = true;
    } else {
      const found = flags.parents
        ? matchParentsSource(session.context, source)
        : matchSource(session.context, source);
      anyFound ||= found.length > 0;
      const local = excludeSources(found, flags.exclude);
      const kind = await splitArchives(session, instruction, local, { matched, archives });
      firstKind ??= kind;
    }
  }
  const first = options.sources[0];
  if (!anyFound && first !== undefined) throw notFound(first);
  return { matched, archives, firstKind: firstKind ?? 'file' };
}

function checkSourceKinds(
  instruction: CopyInstruction,
  sources: readonly string[],
  flags: CopyFlags,
): void {
  const url = sources.find(isUrlSource);
  if (instruction.name === 'COPY' && url !== undefined) {
    throw new BuildError('ERR_DOCKERFILE', `COPY cannot download ${url}; use ADD for a URL source`);
  }
  if (flags.checksum !== undefined && sources.some((source) => !isUrlSource(source))) {
    throw new BuildError(
      'ERR_DOCKERFILE',
      `ADD --checksum=${flags.checksum.text} needs every source to be an http(s) URL; remove --checksum or the local sources`,
    );
  }
}

/**
 * Adds each local source to `matched`, or to `archives` when an ADD extracts
 * it, and returns the kind of the first one (undefined when `found` is empty).
 */
async function splitArchives(
  session: BuildSession,
  instruction: CopyInstruction,
  found: readonly MatchedSource[],
  into: { matched: MatchedSource[]; archives: LocalArchive[] },
): Promise<SourceKind | undefined> {
  let firstKind: SourceKind | undefined;
  for (const source of found) {
    const compression =
      instruction.name === 'ADD' && source.entry.type === 'file'
        ? await archiveCompression(session.context.root, source.entry.path)
        : undefined;
    if (compression === undefined) into.matched.push(source);
    else into.archives.push({ source, compression });
    firstKind ??= compression !== undefined ? 'archive' : kindOf(source);
  }
  return firstKind;
}

function kindOf(source: MatchedSource): SourceKind {
  return source.entry.type === 'dir' ? 'folder' : 'file';
}
