/**
 * Checks of a COPY or ADD before it runs: a flag or source that gantry
 * cannot honour yet raises an error naming it, rather than being ignored.
 */
import type { CopyInstruction } from '@gantry/dockerfile';
import { heredocName } from '../context/heredoc-sources.js';
import { BuildError } from '../errors.js';
import { locationOf } from './run-step.js';
import type { StepRequest } from './step-request.js';

/**
 * Rejects `ADD --from`, `--link`, `--keep-git-dir` and Git sources.
 *
 * @throws BuildError `ERR_UNSUPPORTED` naming the flag or source and what to
 * do instead, or `ERR_DOCKERFILE` for `ADD --from`.
 */
export function rejectUnsupported(instruction: CopyInstruction, request: StepRequest): void {
  const name = instruction.name;
  if (instruction.from !== undefined && name === 'ADD') {
    throw new BuildError('ERR_DOCKERFILE', 'ADD does not take --from; use COPY --from', {
      location: locationOf(request),
    });
  }
  if (instruction.link) {
    throw unsupported(
      request,
      `${name} --link`,
      'remove --link: without it the step writes the same files, in a layer stacked on the ones before it',
    );
  }
  if (instruction.keepGitDir !== undefined) {
    throw unsupported(
      request,
      'ADD --keep-git-dir',
      'remove the flag, since gantry adds no Git sources',
    );
  }
  const gitSource = instruction.sources.find(isGitSource);
  if (gitSource !== undefined) {
    throw unsupported(
      request,
      `ADD of the Git repository ${gitSource}`,
      'clone it in a RUN step, or ADD an archive URL of the revision',
    );
  }
}

/**
 * Returns whether the COPY reads its sources from another stage or image. A
 * COPY whose sources are all heredocs writes them whatever `--from` names,
 * as BuildKit does.
 */
export function readsOtherImage(instruction: CopyInstruction): boolean {
  const from = instruction.from?.text;
  if (from === undefined || from === '') return false;
  return !instruction.sources.every((source) => heredocName(source) !== undefined);
}

/**
 * Returns whether an ADD source names a Git repository, which BuildKit
 * clones: `git@host:path`, `git://...`, or an http(s) URL whose path ends in `.git`.
 */
function isGitSource(source: string): boolean {
  if (/^git@|^git:\/\//.test(source)) return true;
  return /^https?:\/\/[^#?]*\.git(?:[#?].*)?$/i.test(source);
}

function unsupported(request: StepRequest, feature: string, fix: string): BuildError {
  return new BuildError('ERR_UNSUPPORTED', `${feature} is not supported by gantry yet; ${fix}`, {
    location: locationOf(request),
  });
}
