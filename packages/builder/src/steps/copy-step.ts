/** COPY and ADD from the build context: a tar of exactly the files they read, put into a container. */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { type FileInput, toFileInput } from '@gantry/cache';
import type { CopyInstruction, InstructionFlag } from '@gantry/dockerfile';
import { runCached } from '../cache-step.js';
import { isPattern, type MatchedSource, matchSources } from '../context/match-sources.js';
import { type CopyAttributes, packEntries, placeSources } from '../context/pack-sources.js';
import { BuildError } from '../errors.js';
import { shellOf } from '../image-config.js';
import type { BuildSession } from '../session.js';
import { expandInState, type StageState } from '../stage-state.js';
import { runCopyFromStep } from './copy-from-step.js';
import { missingFolders, pathKind } from './create-folder.js';
import { locationOf } from './run-step.js';
import { commitStepContainer } from './step-container.js';
import type { StepRequest } from './step-request.js';

const ARCHIVE_NAME = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2|tar\.xz|txz)$/i;

/** Runs COPY or ADD and moves the stage to the committed image. */
export async function runCopyStep(session: BuildSession, request: StepRequest): Promise<void> {
  const instruction = request.instruction as CopyInstruction;
  const { state } = request;
  rejectUnsupported(instruction, request);
  if (instruction.from?.text !== undefined && instruction.from.text !== '') {
    const written = expandInState(state, instruction.destination);
    await runCopyFromStep(session, request, {
      attributes: copyAttributes(instruction, request),
      flags: flagInputs(instruction),
      written,
      destination: absoluteDestination(state, written),
    });
    return;
  }
  const sources = instruction.sources.map((source) => expandInState(state, source));
  const written = expandInState(state, instruction.destination);
  const destination = absoluteDestination(state, written);
  const matched = withLocation(request, () => matchSources(session.context, sources));
  rejectArchives(instruction, matched, request);
  const attributes = copyAttributes(instruction, request);
  const files = fileInputs(matched);
  const comment = `#(nop) ${instruction.name} ${sourceReference(matched, files)} in ${written} `;
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
        work: async (containerId) => {
          const folder = await destinationIsFolder(
            session,
            containerId,
            sources,
            matched,
            destination,
          );
          rejectManyIntoFile(folder, sources, matched, written, request);
          const entries = placeSources(matched, destination, folder);
          const parent = folder ? destination.replace(/(.)\/+$/, '$1') : posix.dirname(destination);
          const newFolders = await missingFolders(session, containerId, parent);
          const archive = packEntries(session.context.root, entries, attributes, newFolders);
          await session.engine.archives.put(containerId, {
            path: '/',
            archive,
            signal: session.signal,
          });
        },
      }),
  });
}

/** The destination as an absolute path, relative ones under WORKDIR; a trailing `/` is kept. */
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
 * The source part of the history comment: `file:`, `dir:` or `multi:` and a
 * hash, in the classic builder's shape.
 * NOTE: the hash is gantry's own over paths, modes and content digests; the
 * classic builder hashes tar headers, so the hex digits differ.
 */
function sourceReference(matched: readonly MatchedSource[], files: readonly FileInput[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file.path}\0${file.mode}\0${file.digest}\n`);
  const kind = matched.length > 1 ? 'multi' : matched[0]?.entry.type === 'dir' ? 'dir' : 'file';
  return `${kind}:${hash.digest('hex')}`;
}

function copyAttributes(instruction: CopyInstruction, request: StepRequest): CopyAttributes {
  const owner = instruction.chown?.value as
    | { user: { kind: string; id?: number }; group?: { kind: string; id?: number } }
    | undefined;
  const mode = instruction.chmod?.value as { kind: string; mode?: number } | undefined;
  if (
    owner !== undefined &&
    (owner.user.kind !== 'id' || (owner.group && owner.group.kind !== 'id'))
  ) {
    throw unsupported(request, '--chown with user or group names (use numeric ids)');
  }
  if (mode !== undefined && mode.kind !== 'octal') {
    throw unsupported(request, '--chmod with a symbolic mode (use an octal mode)');
  }
  const uid = owner?.user.id ?? 0;
  return { uid, gid: owner?.group?.id ?? uid, mode: mode?.mode };
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

function rejectArchives(
  instruction: CopyInstruction,
  matched: readonly MatchedSource[],
  request: StepRequest,
): void {
  if (instruction.name !== 'ADD') return;
  if (
    matched.some((source) => source.entry.type === 'file' && ARCHIVE_NAME.test(source.entry.path))
  ) {
    throw unsupported(request, 'ADD of a local tar archive (auto-extraction)');
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
