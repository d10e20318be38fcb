/** `COPY --from=stage|index|image`: files from another image, re-rooted under the destination. */
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { DockerignoreMatcher } from '@gantry/cache';
import type { CopyInstruction } from '@gantry/dockerfile';
import { runCached } from '../cache-step.js';
import { excludedInArchive } from '../context/exclude-sources.js';
import { isPattern } from '../context/match-sources.js';
import { type EntryAttributes, rewriteArchive } from '../context/rewrite-archive.js';
import type { BuildSession } from '../session.js';
import { expandInState } from '../stage-state.js';
import { type CopyFlags, chownHistoryPrefix, copyAttributes } from './copy-flags.js';
import { type SourceFiles, sourceFilesOf } from './copy-from-files.js';
import { copyWithParents } from './copy-from-parents.js';
import { copyPattern } from './copy-from-pattern.js';
import {
  noSourceFiles,
  type SourceImage,
  sourceImageOf,
  sourceNotFound,
} from './copy-from-source.js';
import { createFolder, putFolders, ROOT_OWNER, resolvePath } from './create-folder.js';
import { filesHash } from './files-hash.js';
import { SourceContainer } from './source-container.js';
import { commitCopyContainer } from './step-container.js';
import type { StepRequest } from './step-request.js';

/** Options of {@link runCopyFromStep}, prepared by the COPY step. */
export interface CopyFromOptions {
  readonly copyFlags: CopyFlags;
  /** The flags as written, for the cache key. */
  readonly flags: Record<string, string | readonly string[]>;
  /** The destination as written, and as an absolute path (a trailing `/` kept). */
  readonly written: string;
  readonly destination: string;
  /** Number of the step, for its warnings. */
  readonly step: number;
}

/** Runs a COPY with `--from` and moves the stage to the committed image. */
export async function runCopyFromStep(
  session: BuildSession,
  request: StepRequest,
  options: CopyFromOptions,
): Promise<void> {
  const instruction = request.instruction as CopyInstruction;
  const { state } = request;
  const sources = instruction.sources.map((source) => expandInState(state, source));
  const sourceImage = await sourceImageOf(session, request, instruction.from?.text ?? '');
  const inputs = {
    parent: state.imageId,
    platform: state.platform,
    instruction: 'COPY',
    arguments: [...sources, options.written],
    flags: { ...options.flags, from: instruction.from?.text ?? '' },
  };
  const source = new SourceContainer(session, sourceImage);
  // Read once, on the first cache miss: for the second key and the history line.
  let listing: Promise<SourceFiles | undefined> | undefined;
  const listed = () => {
    listing ??= sourceFilesOf(session, source, { sources, parents: options.copyFlags.parents });
    return listing;
  };
  try {
    state.imageId = await runCached(session, {
      ...request.cacheStep,
      inputs: { ...inputs, sourceImage: sourceImage.id },
      contentInputs: async () => {
        const read = await listed();
        return read === undefined ? undefined : { ...inputs, files: read.files };
      },
      run: async () => {
        const comment = historyComment(instruction, request, await listed(), {
          sourceImage,
          sources,
          written: options.written,
        });
        return commitCopyContainer(session, request, comment, (containerId) =>
          copyFromImage(session, containerId, source, sources, options),
        );
      },
    });
  } finally {
    source.release();
  }
}

/**
 * Returns the history line of the step: `COPY [--chown=...]<kind>:<hash> in
 * <dest> `, as the classic builder writes it. The hash is gantry's own, over
 * the files read; without them (a source is missing, so the copy fails) it is
 * the source image's id.
 */
function historyComment(
  instruction: CopyInstruction,
  request: StepRequest,
  read: SourceFiles | undefined,
  copy: { sourceImage: SourceImage; sources: readonly string[]; written: string },
): string {
  const owner = chownHistoryPrefix(instruction, request.state);
  const kind = read?.kind ?? (copy.sources.length > 1 ? 'multi' : 'dir');
  const hash = read === undefined ? copy.sourceImage.id.slice(7) : filesHash(read.files);
  return `#(nop) COPY ${owner}${kind}:${hash} in ${copy.written} `;
}

async function copyFromImage(
  session: BuildSession,
  containerId: string,
  source: SourceContainer,
  sources: readonly string[],
  options: CopyFromOptions,
): Promise<void> {
  // The source container and the destination's folders are independent: both start at once.
  const creating = source.id();
  creating.catch(() => {});
  // Under --parents every source keeps its own path, so the destination is prepared as for a file.
  const firstIsFolder = options.copyFlags.parents
    ? Promise.resolve(false)
    : creating.then((sourceId) => isFolderSource(session, sourceId, sources[0]));
  firstIsFolder.catch(() => {});
  const preparing = prepareDestination(session, containerId, sources, options, firstIsFolder);
  preparing.catch(() => {});
  const [sourceId, placement] = await Promise.all([creating, preparing]);
  const readArchive = (path: string) => source.archive(path);
  const target = { containerId, sourceId, readArchive, sources, options, image: source.image };
  if (options.copyFlags.parents) {
    await copyWithParents(session, { ...target, ...parentsOptions(options, placement) });
    return;
  }
  await copySources(session, target, placement);
}

/**
 * Returns whether a source that is no wildcard is a folder in the source
 * container, links followed. A wildcard counts as a file here, because its
 * first match is known only once the archive streams (see {@link giveParentsToRoot}).
 */
async function isFolderSource(
  session: BuildSession,
  sourceId: string,
  source: string | undefined,
): Promise<boolean> {
  if (source === undefined || isPattern(source)) return false;
  const { kind } = await resolvePath(session, sourceId, posix.resolve('/', source));
  return kind === 'directory';
}

/**
 * Reads the COPY flags' owner and mode and creates the destination's missing
 * folders. Their owner follows the classic builder: a first source that is a
 * folder creates the parents as root and gives only the destination folder
 * the `--chown` owner, and a file creates every missing folder with it.
 */
async function prepareDestination(
  session: BuildSession,
  containerId: string,
  sources: readonly string[],
  options: CopyFromOptions,
  firstIsFolder: Promise<boolean>,
): Promise<Placement> {
  const attributes = {
    ...(await entryAttributes(session, containerId, options.copyFlags)),
    onXattrLeftOut: (path: string, attribute: string) =>
      session.emit({
        type: 'warning',
        step: options.step,
        rule: 'XattrLeftOut',
        message:
          `COPY --from left out the extended attribute ${attribute} of /${path}, because its value ` +
          'is binary, which gantry cannot copy yet; set it again in a RUN step after the COPY (setcap for a capability)',
      }),
  };
  const many = sources.length > 1 || sources.some(isPattern) || options.copyFlags.parents;
  const { destination } = options;
  // A file is written where a symbolic link at the destination leads, as in a COPY from the context.
  const resolved =
    destination.endsWith('/') || many
      ? undefined
      : await resolvePath(session, containerId, destination);
  const intoFolder = resolved === undefined || resolved.kind === 'directory';
  const fileTarget = resolved?.path ?? destination;
  const folderFirst = await firstIsFolder;
  // A folder source's contents go into the destination, which is then a folder too.
  const folder =
    intoFolder || folderFirst ? destination.replace(/(.)\/+$/, '$1') : posix.dirname(fileTarget);
  const owner = attributes.owner ?? ROOT_OWNER;
  const parentOwner = folderFirst ? ROOT_OWNER : owner;
  const created = await createFolder(session, containerId, folder, owner, parentOwner);
  return {
    attributes,
    intoFolder,
    fileTarget,
    createdParents: created.filter((path) => path !== folder),
  };
}

/**
 * Gives the folders created above the destination back to root, as the
 * classic builder creates them for a first source that is a folder. The
 * destination was prepared as if the first source, a wildcard, matched a
 * file first, so they got the `--chown` owner.
 */
async function giveParentsToRoot(
  session: BuildSession,
  containerId: string,
  placement: Placement,
): Promise<void> {
  if (placement.attributes.owner === undefined || placement.createdParents.length === 0) return;
  const folders = placement.createdParents.map((path) => ({ path, ...ROOT_OWNER }));
  await putFolders(session, containerId, folders);
}

/** Owner and mode of the entries, and where a COPY --from writes them. */
interface Placement {
  readonly attributes: EntryAttributes;
  /** Whether the sources go into the destination folder. */
  readonly intoFolder: boolean;
  /** Path a single file is written to: the destination, its symbolic links followed. */
  readonly fileTarget: string;
  /** Folders created above the destination folder, outermost first. */
  readonly createdParents: readonly string[];
}

/** Containers and sources of {@link copySources}. */
interface CopyTarget {
  readonly containerId: string;
  readonly sourceId: string;
  /** Reads the engine's archive of a path in the source container. */
  readonly readArchive: (path: string) => Promise<Readable>;
  readonly sources: readonly string[];
  readonly options: CopyFromOptions;
  readonly image: SourceImage;
}

/** Returns the destination folder, owner, mode and `--exclude` patterns of a copy under `--parents`. */
function parentsOptions(options: CopyFromOptions, placement: Placement) {
  const patterns = options.copyFlags.exclude;
  return {
    destination: options.destination.replace(/(.)\/+$/, '$1'),
    attributes: placement.attributes,
    exclude: patterns.length > 0 ? new DockerignoreMatcher([...patterns]) : undefined,
  };
}

/** Copies each source from the source container into the step's container. */
async function copySources(
  session: BuildSession,
  target: CopyTarget,
  placement: Placement,
): Promise<void> {
  const { engine, signal } = session;
  const { containerId, sourceId, options } = target;
  const { attributes, intoFolder, fileTarget } = placement;
  const patterns = options.copyFlags.exclude;
  const exclude = patterns.length > 0 ? new DockerignoreMatcher([...patterns]) : undefined;
  // As in the classic builder, a wildcard that matches nothing is skipped unless every source does so.
  const emptyPatterns: string[] = [];
  for (const [index, path] of target.sources.entries()) {
    const absolute = posix.resolve('/', path);
    if (isPattern(path)) {
      const { destination } = options;
      const { readArchive, image } = target;
      const pattern = { sourceId, containerId, readArchive, destination, attributes, image };
      const firstMatch = await copyPattern(session, {
        ...pattern,
        pattern: absolute,
        source: path,
        exclude,
        mayMatchNothing: true,
      });
      if (firstMatch === undefined) emptyPatterns.push(path);
      if (index === 0 && firstMatch === 'directory') {
        await giveParentsToRoot(session, containerId, placement);
      }
      continue;
    }
    // The engine's archive of a symbolic link contains the link alone, so the
    // link is followed first, as the classic builder follows a source link.
    const { kind, path: resolved } = await resolvePath(session, sourceId, absolute);
    if (kind === 'missing') throw sourceNotFound(path, target.image);
    // `--exclude` matches a file source by its name, and a folder's entries below the folder.
    if (kind !== 'directory' && exclude?.excludes(posix.basename(absolute)) === true) continue;
    const archive = await target.readArchive(resolved);
    const archiveBase = posix.basename(resolved);
    const rename = renameFor({
      archiveBase,
      name: posix.basename(absolute),
      folder: kind === 'directory',
      destination: kind === 'directory' || intoFolder ? options.destination : fileTarget,
      intoFolder,
    });
    const renameKept =
      exclude === undefined || kind !== 'directory'
        ? rename
        : (entry: string) =>
            excludedInArchive(exclude, archiveBase, entry) ? undefined : rename(entry);
    const rewritten = rewriteArchive(archive, renameKept, attributes);
    await engine.archives.put(containerId, { path: '/', archive: rewritten, signal });
  }
  if (emptyPatterns.length > 0 && emptyPatterns.length === target.sources.length) {
    throw noSourceFiles(emptyPatterns, target.image);
  }
}

/**
 * Resolves the COPY flags for entries from an image: without `--chown` the
 * entries keep the source image's owners, as the classic builder keeps them.
 */
async function entryAttributes(
  session: BuildSession,
  containerId: string,
  flags: CopyFlags,
): Promise<EntryAttributes> {
  if (flags.owner === undefined) return { mode: flags.mode };
  const { uid, gid, mode } = await copyAttributes(session, containerId, flags);
  return { owner: { uid, gid }, mode };
}

/** Placement of the entries of the engine's archive of one COPY --from source. */
interface RenameOptions {
  /** Name of the archive's top entry: the last part of the source, links followed. */
  readonly archiveBase: string;
  /** Name a file source gets in a destination folder: the last part as written. */
  readonly name: string;
  readonly folder: boolean;
  readonly destination: string;
  readonly intoFolder: boolean;
}

/**
 * Maps names in the engine's archive of a path (`base`, `base/...`) to the
 * destination: a folder's contents go into the destination, a file into it
 * or onto it.
 */
function renameFor(options: RenameOptions) {
  const { archiveBase, destination } = options;
  return (entry: string): string | undefined => {
    const clean = entry.replace(/\/+$/, '');
    if (options.folder) {
      if (clean === archiveBase) return undefined;
      return posix.join(destination, clean.slice(archiveBase.length + 1)).slice(1);
    }
    const target = options.intoFolder ? posix.join(destination, options.name) : destination;
    return target.slice(1);
  };
}
