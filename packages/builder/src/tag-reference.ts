/** Checking `--tag` references against Docker's reference grammar before a build starts. */
import { splitImageReference } from '@gantry/daemon';
import { BuildError } from './errors.js';

const DOMAIN_PART = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(`^${DOMAIN_PART}(?:\\.${DOMAIN_PART})*(?::[0-9]+)?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const IMAGE_ID = /^[a-f0-9]{64}$/;
const NAME_MAX = 255;

/**
 * Returns the rule of Docker's reference grammar that `reference` breaks,
 * or undefined when it is a valid `[host[:port]/]path[:tag][@digest]`.
 *
 * @example tagProblem('Bad:Tag:x') // 'repository name must be lowercase'
 */
export function tagProblem(reference: string): string | undefined {
  if (reference === '') return 'repository name must have at least one component';
  const { repository, tag, digest } = splitImageReference(reference);
  const { domain, path } = splitDomain(repository);
  if (path.toLowerCase() !== path) return 'repository name must be lowercase';
  if (IMAGE_ID.test(repository)) return 'a repository name cannot be a 64-digit image id';
  if (domain !== undefined && !DOMAIN.test(domain)) {
    return `registry host ${JSON.stringify(domain)} must be a host name or address, with an optional :port`;
  }
  if (!path.split('/').every((component) => PATH_COMPONENT.test(component))) {
    return 'each repository path component must be lower-case letters and digits joined by ".", "_", "__" or "-"';
  }
  if (repository.length > NAME_MAX) return 'repository name must not be more than 255 characters';
  if (tag !== undefined && !TAG.test(tag))
    return 'tag must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}';
  if (digest !== undefined && !DIGEST.test(digest)) {
    return 'digest must be algorithm:hex, such as sha256: and 64 hex digits';
  }
  return undefined;
}

/**
 * Splits off the registry host: the first component is a host when it has
 * a `.` or `:`, is `localhost`, or has capitals, as the docker CLI decides.
 */
function splitDomain(repository: string): { domain: string | undefined; path: string } {
  const slash = repository.indexOf('/');
  if (slash === -1) return { domain: undefined, path: repository };
  const first = repository.slice(0, slash);
  const isHost = /[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first;
  if (!isHost) return { domain: undefined, path: repository };
  return { domain: first, path: repository.slice(slash + 1) };
}

/**
 * Checks every tag before the build runs a step.
 *
 * @throws BuildError `ERR_INVALID_TAG` naming the first invalid tag and the rule it breaks.
 */
export function validateTags(tags: readonly string[]): void {
  for (const tag of tags) {
    const problem = tagProblem(tag);
    if (problem === undefined) continue;
    throw new BuildError(
      'ERR_INVALID_TAG',
      `invalid tag ${JSON.stringify(tag)}: invalid reference format: ${problem}; write [host[:port]/]name[:tag]`,
    );
  }
}
