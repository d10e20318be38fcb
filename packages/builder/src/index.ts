/**
 * `@gantry/builder`: builds container images from Dockerfiles on a Docker
 * Engine, step by step as the engine's classic builder does, with gantry's
 * client-side layer cache. It composes `@gantry/dockerfile` (parsing),
 * `@gantry/cache` (cache keys and context digests), `@gantry/daemon` (the
 * engine) and `@gantry/log-format` (build events).
 *
 * @packageDocumentation
 */
export { build } from './build.js';
export { buildEvents } from './build-events.js';
export {
  type ExtractContextOptions,
  type ExtractedContext,
  extractContextArchive,
} from './context/extract-context-archive.js';
export { isTarHeader } from './context/local-archive.js';
export {
  BuildError,
  type BuildErrorCode,
  type BuildErrorOptions,
  ContextCompressionError,
  ContextEntryError,
  type ContextEntryErrorOptions,
  ContextTooLargeError,
  type MeasuredPart,
  StepFailedError,
  type StepLocation,
  type UnsafeEntryReason,
  type UnsupportedCompression,
} from './errors.js';
export {
  type BuildOptions,
  type BuildResult,
  KEEP_CONTAINERS,
  type KeepContainers,
  NETWORK_MODES,
  type NetworkMode,
  type PullPolicy,
  type RunContainerSettings,
  type Ulimit,
} from './options.js';
export { tagProblem, validateTags } from './tag-reference.js';
export { PREDEFINED_ARGS } from './variables.js';
