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
import { type MatchedSource, matchSources } from '../context/match-sources.js';
import { BuildError } from '../errors.js';
import type { BuildSession } from '../session.js';
import { expandInState, type StageState } from '../stage-state.js';
import type { CopyFlags } from './copy-flags.js';

/** A local tar archive that ADD extracts. */
export interface LocalArchive {
  readonly source: MatchedSource;
  readonly compression: ArchiveCompression;
}

/** The sources of one COPY or ADD. */
export interface CopySources {
  /** Sources copied as they are. */
  readonly matched: readonly MatchedSource[];
  /** Local archives an ADD extracts into the destination. */
  readonly archives: readonly LocalArchive[];
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
  for (const [index, source] of options.sources.entries()) {
    const inline = heredocs.find((item) => item.source === source);
    if (inline !== undefined) matched.push(inline);
    else if (isUrlSource(source)) {
      const file = downloadPath(await options.downloadFolder(), index);
      const { signal } = session;
      matched.push(await downloadSource({ url: source, checksum: flags.checksum, file, signal }));
    } else {
      const local = excludeSources(matchSources(session.context, [source]), flags.exclude);
      await splitArchives(session, instruction, local, { matched, archives });
    }
  }
  return { matched, archives };
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

/** Adds each local source to `matched`, or to `archives` when an ADD extracts it. */
async function splitArchives(
  session: BuildSession,
  instruction: CopyInstruction,
  found: readonly MatchedSource[],
  into: { matched: MatchedSource[]; archives: LocalArchive[] },
): Promise<void> {
  for (const source of found) {
    const compression =
      instruction.name === 'ADD' && source.entry.type === 'file'
        ? await archiveCompression(session.context.root, source.entry.path)
        : undefined;
    if (compression === undefined) into.matched.push(source);
    else into.archives.push({ source, compression });
  }
}
