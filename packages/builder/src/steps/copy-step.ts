/** COPY and ADD from the build context: a tar of exactly the files they read, put into a container. */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { type FileInput, toFileInput } from '@gantry/cache';
import type { CopyInstruction, InstructionFlag } from '@gantry/dockerfile';
import { runCached } from '../cache-step.js';
import { archiveCompression, extractedArchive } from '../context/local-archive.js';
import { isPattern, type MatchedSource, matchSources } from '../context/match-sources.js';
import { type CopyAttributes, packEntries, placeSources } from '../context/pack-sources.js';
import { BuildError } from '../errors.js';
import { shellOf } from '../image-config.js';
import type { BuildSession } from '../session.js';
import { expandInState, type StageState } from '../stage-state.js';
import { runCopyFromStep } from './copy-from-step.js';
import { missingFolders, pathKind } from './create-folder.js';
import { type OwnerSpec, resolveOwner } from './resolve-owner.js';
import { locationOf } from './run-step.js';
import { commitStepContainer } from './step-container.js';
import type { StepRequest } from './step-request.js';

/** Runs COPY or ADD and moves the stage to the committed image. */
export async function runCopyStep(session: BuildSession, request: StepRequest): Promise<void> {
  const instruction = request.instruction as CopyInstruction;
  const { state } = request;
  rejectUnsupported(instruction, request);
  if (instruction.from?.text !== undefined && instruction.from.text !== '') {
    const written = expandInState(state, instruction.destination);
    await runCopyFromStep(session, request, {
      copyFlags: copyFlags(instruction, request),
      flags: flagInputs(instruction),
      written,
      destination: absoluteDestination(state, written),
    });
    return;
  }
  const sources = instruction.sources.map((source) => expandInState(state, source));
  const written = expandInState(state, instruction.destination);
  const destination = absoluteDestination(state, written);
  const found = withLocation(request, () => matchSources(session.context, sources));
  const { matched, archives } = await splitArchives(session, instruction, found, request);
  const flags = copyFlags(instruction, request);
  const all = [...matched, ...archives.map((archive) => archive.source)];
  const files = fileInputs(all);
  const comment = `#(nop) ${instruction.name} ${sourceReference(all, files)} in ${written} `;
  state.imageId = await runCached(session, {
    ...request.cacheStep,
    inputs: {
      parent: state.imageId,
      platform: state.platform,
      instruction: instruction.name,
      arguments: [...sources, written],
      flags: flagInputs(instruction),
      files,
    },
    run: () =>
      commitStepContainer(session, {
        step: request.step,
        parent: state.imageId,
        containerConfig: { ...state.config, Cmd: [...shellOf(state.config), comment] },
        purpose: 'copy',
        commitConfig: state.config,
        author: state.author,
        work: (containerId) =>
          putSources(session, containerId, {
            sources,
            matched,
            archives,
            destination,
            written,
            flags,
            request,
          }),
      }),
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

async function destinationIsFolder(
  session: BuildSession,
  containerId: string,
  sources: readonly string[],
  matched: readonly MatchedSource[],
  destination: string,
): Promise<boolean> {
  if (destination.endsWith('/')) return true;
  if (matched.length > 1 || sources.some(isPattern) || matched[0]?.entry.type === 'dir') {
    return true;
  }
  // A single file goes into the destination when that is an existing folder.
  return (await pathKind(session, containerId, destination)) === 'directory';
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
      `When using COPY with more than one source file, the destination must be a directory and end with a /; write ${written}/`,
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

/**
 * Returns the source part of the history comment: `file:`, `dir:` or `multi:` and a
 * hash, in the classic builder's shape.
 * NOTE: the hash is gantry's own over paths, modes and content digests; the
 * classic builder hashes tar headers, so the hex digits differ.
 */
function sourceReference(matched: readonly MatchedSource[], files: readonly FileInput[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file.path}\0${file.mode}\0${file.digest}\n`);
  return `${sourceKind(matched)}:${hash.digest('hex')}`;
}

function sourceKind(matched: readonly MatchedSource[]): 'multi' | 'dir' | 'file' {
  if (matched.length > 1) return 'multi';
  return matched[0]?.entry.type === 'dir' ? 'dir' : 'file';
}

/** `--chown` (resolved in the container) and `--chmod` of a COPY or ADD. */
export interface CopyFlags {
  readonly owner: OwnerSpec | undefined;
  readonly mode: number | undefined;
}

function copyFlags(instruction: CopyInstruction, request: StepRequest): CopyFlags {
  const mode = instruction.chmod?.value as { kind: string; mode?: number } | undefined;
  if (mode !== undefined && mode.kind !== 'octal') {
    throw unsupported(request, '--chmod with a symbolic mode (use an octal mode)');
  }
  return { owner: instruction.chown?.value as OwnerSpec | undefined, mode: mode?.mode };
}

/** Resolves the COPY flags to the owner and mode of every entry, in the step's container. */
export async function copyAttributes(
  session: BuildSession,
  containerId: string,
  flags: CopyFlags,
): Promise<CopyAttributes> {
  const owner =
    flags.owner === undefined
      ? { uid: 0, gid: 0 }
      : await resolveOwner(session, containerId, flags.owner);
  return { ...owner, mode: flags.mode };
}

function flagInputs(instruction: CopyInstruction): Record<string, string> {
  const flags: Record<string, string> = {};
  const add = (name: string, flag: InstructionFlag | undefined) => {
    if (flag?.text !== undefined) flags[name] = flag.text;
  };
  add('chown', instruction.chown);
  add('chmod', instruction.chmod);
  return flags;
}

function rejectUnsupported(instruction: CopyInstruction, request: StepRequest): void {
  if (instruction.from !== undefined && instruction.name === 'ADD')
    throw unsupported(request, 'ADD --from');
  if (instruction.link) throw unsupported(request, `${instruction.name} --link`);
  if (instruction.parents) throw unsupported(request, `${instruction.name} --parents`);
  if (instruction.exclude.length > 0) throw unsupported(request, `${instruction.name} --exclude`);
  if (instruction.heredocs.length > 0)
    throw unsupported(request, `${instruction.name} with a heredoc`);
  if (instruction.sources.some((source) => /^https?:\/\//i.test(source))) {
    throw unsupported(request, 'ADD from a URL');
  }
}

/** A local tar archive that ADD extracts. */
interface LocalArchive {
  readonly source: MatchedSource;
  readonly compression: 'none' | 'gzip';
}

/** Separates the tar archives an ADD extracts from the sources it copies. */
async function splitArchives(
  session: BuildSession,
  instruction: CopyInstruction,
  found: readonly MatchedSource[],
  request: StepRequest,
): Promise<{ matched: MatchedSource[]; archives: LocalArchive[] }> {
  const matched: MatchedSource[] = [];
  const archives: LocalArchive[] = [];
  for (const source of found) {
    const compression =
      instruction.name === 'ADD' && source.entry.type === 'file'
        ? await archiveCompression(session.context.root, source.entry.path)
        : undefined;
    if (compression === undefined) matched.push(source);
    else if (compression === 'none' || compression === 'gzip')
      archives.push({ source, compression });
    else throw unsupported(request, `ADD of a ${compression} archive (auto-extraction)`);
  }
  return { matched, archives };
}

/** Sources and flags that {@link putSources} puts into the step's container. */
interface PutSources {
  readonly sources: readonly string[];
  readonly matched: readonly MatchedSource[];
  readonly archives: readonly LocalArchive[];
  readonly destination: string;
  readonly written: string;
  readonly flags: CopyFlags;
  readonly request: StepRequest;
}

/** Puts the copied files, then each extracted archive, into the container. */
async function putSources(
  session: BuildSession,
  containerId: string,
  put: PutSources,
): Promise<void> {
  const { engine, signal } = session;
  const all = [...put.matched, ...put.archives.map((archive) => archive.source)];
  const folder = await destinationIsFolder(session, containerId, put.sources, all, put.destination);
  rejectManyIntoFile(folder, put.sources, all, put.written, put.request);
  const entries = placeSources(put.matched, put.destination, folder);
  const parent = folder ? put.destination.replace(/(.)\/+$/, '$1') : posix.dirname(put.destination);
  const newFolders = await missingFolders(session, containerId, parent);
  const attributes = await copyAttributes(session, containerId, put.flags);
  const archive = packEntries(session.context.root, entries, attributes, newFolders);
  await engine.archives.put(containerId, { path: '/', archive, signal });
  for (const { source, compression } of put.archives) {
    const root = session.context.root;
    const extracted = extractedArchive(root, source.entry.path, compression, put.destination);
    await engine.archives.put(containerId, { path: '/', archive: extracted, signal });
  }
}

function unsupported(request: StepRequest, what: string): BuildError {
  return new BuildError('ERR_UNSUPPORTED', `${what} is not supported by gantry yet`, {
    location: locationOf(request),
  });
}

function withLocation<T>(request: StepRequest, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof BuildError && error.location === undefined) {
      throw new BuildError(error.code, error.message, {
        location: locationOf(request),
        cause: error,
      });
    }
    throw error;
  }
}
