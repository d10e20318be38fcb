import type { MountDraft, OptionProblem } from './parse-mount.js';

/**
 * Applies the rules that need the whole mount: which types take a file mode and owner,
 * the read-only default, and what a secret mount needs. Sets the read-only default
 * when no option chose it, and returns the first rule broken.
 *
 * @internal
 */
export function validateMount(
  draft: MountDraft,
  readOnlyGiven: boolean,
): OptionProblem | undefined {
  const takesFileInfo = draft.type === 'secret' || draft.type === 'ssh' || draft.type === 'cache';
  for (const key of ['mode', 'uid', 'gid'] as const) {
    if (!takesFileInfo && draft[key] !== undefined) {
      return {
        reason: `"${key}" is not allowed on ${draft.type} mounts, only on cache, secret and ssh`,
      };
    }
  }
  if (!readOnlyGiven) {
    draft.readOnly = draft.type !== 'cache' && draft.type !== 'tmpfs';
  }
  if (draft.type === 'secret') {
    const problem = validateSecret(draft);
    if (problem !== undefined) {
      return problem;
    }
  }
  if (draft.sharing !== undefined && draft.type !== 'cache') {
    return { reason: `"sharing" applies only to cache mounts, not ${draft.type}` };
  }
  return undefined;
}

function validateSecret(draft: MountDraft): OptionProblem | undefined {
  if (draft.from !== undefined && draft.from !== '') {
    return { reason: 'a secret mount cannot have "from"' };
  }
  if (draft.sharing !== undefined) {
    return { reason: 'a secret mount cannot have "sharing"' };
  }
  if (!draft.source && !draft.target && !draft.id) {
    return { reason: 'a secret mount needs an id, a source or a target' };
  }
  if (draft.source && draft.id) {
    return { reason: 'a secret mount takes either "source" or "id", not both' };
  }
  return undefined;
}
