/**
 * COPY and ADD: a tar of exactly the files they read (from the context,
 * heredocs or downloads) put into a container, which is then committed.
 */
import { posix } from 'node:path';
import { type FileInput, toFileInput } from '@gantry/cache';
import type { CopyInstruction } from '@gantry/dockerfile';
import { runCached } from '../cache-step.js';
import { withDownloadFolder } from '../context/download-source.js';
import { extractedArchive } from '../context/local-archive.js';
import { isPattern, type MatchedSource } from '../context/match-sources.js';
import {
  type CopyAttributes,
  type NewFolder,
  packEntries,
  placeSources,
} from '../context/pack-sources.js';
import { placeWithParents } from '../context/parent-paths.js';
import { BuildError } from '../errors.js';
import type { BuildSession } from '../session.js';
import { expandInState, type StageState } from '../stage-state.js';
import { readsOtherImage, rejectUnsupported } from './copy-checks.js';
import {
  type CopyFlags,
  chownHistoryPrefix,
  copyAttributes,
  copyFlags,
  flagInputs,
} from './copy-flags.js';
import { runCopyFromStep } from './copy-from-step.js';
import { type CopySources, gatherSources, type SourceKind } from './copy-sources.js';
import { missingFolders, resolvePath } from './create-folder.js';
import { filesHash } from './files-hash.js';
import { locationOf } from './run-step.js';
import { commitCopyContainer } from './step-container.js';
import { locateError } from './step-error.js';
import type { StepRequest } from './step-request.js';

/** Runs COPY or ADD and moves the stage to the committed image. */
export async function runCopyStep(session: BuildSession, request: StepRequest): Promise<void> {
  const instruction = request.instruction as CopyInstruction;
  const { state } = request;
  rejectUnsupported(instruction, request);
  const flags = withLocation(request, () => copyFlags(instruction, state));
  const written = expandInState(state, instruction.destination);
  const destination = absoluteDestination(state, written);
  if (readsOtherImage(instruction)) {
    const inputs = flagInputs(instruction, flags, state);
    await runCopyFromStep(session, request, {
      copyFlags: flags,
      flags: inputs,
      written,
      destination,
      step: request.step.number,
    });
    return;
  }
  const sources = instruction.sources.map((source) => expandInState(state, source));
  await withDownloadFolder(async (downloadFolder) => {
    const gathered = await withLocationAsync(request, () =>
      gatherSources(session, { instruction, state, sources, flags, downloadFolder }),
    );
    await commitCopy(session, request, { sources, gathered, written, destination, flags });
  });
}

/** Inputs of {@link commitCopy}: the sources gathered, the destination and the flags. */
interface CopyPlan {
  readonly sources: readonly string[];
  readonly gathered: CopySources;
  readonly written: string;
  readonly destination: string;
  readonly flags: CopyFlags;
}

/** Looks the step up in the cache, and on a miss puts the sources into a container and commits it. */
async function commitCopy(
  session: BuildSession,
  request: StepRequest,
  plan: CopyPlan,
): Promise<void> {
  const instruction = request.instruction as CopyInstruction;
  const { state } = request;
  const { matched, archives } = plan.gathered;
  const all = [...matched, ...archives.map((archive) => archive.source)];
  const files = fileInputs(all);
  const owner = chownHistoryPrefix(instruction, state);
  const comment = `#(nop) ${instruction.name} ${owner}${sourceReference(all, files)} in ${plan.written} `;
  state.imageId = await runCached(session, {
    ...request.cacheStep,
    inputs: {
      parent: state.imageId,
      platform: state.platform,
      instruction: instruction.name,
      arguments: [...plan.sources, plan.written],
      flags: flagInputs(instruction, plan.flags, state),
      files,
    },
    run: () =>
      commitCopyContainer(session, request, comment, (containerId) =>
        putSources(session, containerId, { ...plan, request }),
      ),
  });
}

/** Returns the destination as an absolute path, relative ones under WORKDIR, keeping a trailing `/`. */
function absoluteDestination(state: StageState, written: string): string {
  const folder = written.endsWith('/') || written === '.' || written.endsWith('/.');
  const path = posix.isAbsolute(written)
    ? posix.normalize(written)
    : posix.join(state.config.WorkingDir || '/', written);
  return folder && !path.endsWith('/') ? `${path}/` : path;
}

/** Destination of a COPY: a folder the sources go into, or one file path. */
interface Placement {
  readonly folder: boolean;
  /** The destination without a trailing `/`; for a file, its symbolic links followed. */
  readonly path: string;
}

async function destinationPlacement(
  session: BuildSession,
  containerId: string,
  sources: readonly string[],
  matched: readonly MatchedSource[],
  destination: string,
): Promise<Placement> {
  const target = destination.replace(/(.)\/+$/, '$1');
  if (destination.endsWith('/')) return { folder: true, path: target };
  if (matched.length > 1 || sources.some(isPattern) || matched[0]?.entry.type === 'dir') {
    return { folder: true, path: target };
  }
  // A single file goes into the destination when that is an existing folder.
  // Otherwise it is written where a symbolic link there leads, even a dangling
  // one, and the link stays, as the classic builder writes through it.
  const resolved = await resolvePath(session, containerId, target);
  if (resolved.kind === 'directory') return { folder: true, path: target };
  return { folder: false, path: resolved.path };
}

function rejectManyIntoFile(
  folder: boolean,
  sources: readonly string[],
  matched: readonly MatchedSource[],
  written: string,
  request: StepRequest,
): void {
  const many = matched.length > 1 || sources.length > 1;
  if (many && !written.endsWith('/') && folder && !written.endsWith('.')) {
    throw new BuildError(
      'ERR_DOCKERFILE',
      `When using ${request.instruction.name} with more than one source file, the destination must be a directory and end with a /; write ${written}/`,
      { location: locationOf(request) },
    );
  }
}

function fileInputs(matched: readonly MatchedSource[]): FileInput[] {
  const inputs = new Map<string, FileInput>();
  for (const source of matched) {
    for (const entry of [source.entry, ...source.children]) {
      if (entry.path !== '') inputs.set(entry.path, toFileInput(entry));
    }
  }
  return [...inputs.values()];
}

/** Returns the source part of the history comment: `file:`, `dir:` or `multi:` and a hash. */
function sourceReference(matched: readonly MatchedSource[], files: readonly FileInput[]): string {
  return `${sourceKind(matched)}:${filesHash(files)}`;
}

function sourceKind(matched: readonly MatchedSource[]): 'multi' | 'dir' | 'file' {
  if (matched.length > 1) return 'multi';
  return matched[0]?.entry.type === 'dir' ? 'dir' : 'file';
}

/** Sources, destination and flags that {@link putSources} puts into the step's container. */
interface PutSources extends CopyPlan {
  readonly request: StepRequest;
}

/** Puts the copied files, then each extracted archive, into the container. */
async function putSources(
  session: BuildSession,
  containerId: string,
  put: PutSources,
): Promise<void> {
  const { engine, signal } = session;
  const { matched, archives } = put.gathered;
  const all = [...matched, ...archives.map((archive) => archive.source)];
  const target = put.destination.replace(/(.)\/+$/, '$1');
  // Under --chown or --parents the missing folders need their own entries,
  // so they are looked up at the same time as the other lookups.
  const foldersNeedOwner = put.flags.parents || put.flags.owner !== undefined;
  const [placement, ownedMissing, attributes] = await Promise.all([
    put.flags.parents
      ? { folder: true, path: target }
      : destinationPlacement(session, containerId, put.sources, all, put.destination),
    foldersNeedOwner ? missingFolders(session, containerId, target) : undefined,
    copyAttributes(session, containerId, put.flags),
  ]);
  const { folder } = placement;
  rejectManyIntoFile(folder, put.sources, all, put.written, put.request);
  const entries = put.flags.parents
    ? placeWithParents(session.context, matched, asFolder(put.destination))
    : placeSources(matched, folder ? put.destination : placement.path, folder);
  const missing =
    ownedMissing ??
    (createsParents(entries, target, placement)
      ? []
      : await missingFolders(session, containerId, target));
  const newFolders = await foldersToCreate(session, containerId, placement, target, missing);
  const firstKind = put.flags.parents ? 'file' : put.gathered.firstKind;
  const folders = ownedFolders(newFolders, target, firstKind, attributes);
  const archive = packEntries(session.context.root, entries, attributes, folders);
  await engine.archives.put(containerId, { path: '/', archive, signal });
  for (const { source, compression } of archives) {
    const root = session.context.root;
    const extracted = await extractedArchive(root, source.entry.path, compression, put.destination);
    await engine.archives
      .put(containerId, { path: '/', archive: extracted, signal })
      .catch((error: unknown) => {
        throw archiveError(error);
      });
  }
}

/**
 * Returns the build error that failed an archive's stream, which the engine
 * client wraps in its own error as the cause, or else the error itself.
 */
function archiveError(error: unknown): unknown {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof BuildError ? cause : error;
}

/**
 * Returns whether the archive makes every missing folder up to `target` by
 * itself. The engine creates each missing parent of an entry as root with
 * mode 0755, which is what the classic builder gives them without
 * `--chown`. That holds when the archive puts the file at `target`, or puts
 * at least one entry inside the folder `target`. Otherwise the missing
 * folders are looked up, one request per level.
 */
function createsParents(
  entries: readonly { readonly target: string }[],
  target: string,
  placement: Placement,
): boolean {
  if (!placement.folder) return placement.path === target && entries.length > 0;
  const inside = target === '/' ? '/' : `${target}/`;
  return entries.some((entry) => entry.target.startsWith(inside));
}

/**
 * Returns the folders to create, given `missing`, the missing folders up to
 * `target`: all of them for a folder, only the parents for a file. A file
 * that a symbolic link leads elsewhere needs the missing parents of the
 * link's target, which takes one more round of requests.
 */
async function foldersToCreate(
  session: BuildSession,
  containerId: string,
  placement: Placement,
  target: string,
  missing: readonly string[],
): Promise<readonly string[]> {
  if (placement.folder) return missing;
  if (placement.path === target) {
    // A file copied to a missing path becomes that path: only its parents are new folders.
    return missing.at(-1) === target ? missing.slice(0, -1) : missing;
  }
  return missingFolders(session, containerId, posix.dirname(placement.path));
}

/**
 * Gives each new folder its owner as the classic builder does. A file source
 * creates its missing parent folders with the `--chown` owner. A folder
 * source creates them as root and chowns only the destination itself, and an
 * extracted archive leaves them all root's. The first source decides,
 * because the later ones find the folders already made.
 */
function ownedFolders(
  paths: readonly string[],
  destination: string,
  firstKind: SourceKind,
  owner: CopyAttributes,
): NewFolder[] {
  return paths.map((path) => {
    const owned = firstKind === 'file' || (firstKind === 'folder' && path === destination);
    return owned ? { path, uid: owner.uid, gid: owner.gid } : { path, uid: 0, gid: 0 };
  });
}

function asFolder(path: string): string {
  return path.endsWith('/') ? path : `${path}/`;
}

function withLocation<T>(request: StepRequest, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw locateError(request, error);
  }
}

async function withLocationAsync<T>(request: StepRequest, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw locateError(request, error);
  }
}
