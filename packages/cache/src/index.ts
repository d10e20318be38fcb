/**
 * `@gantry/cache`: gantry's layer cache. Cache keys with their inputs kept to
 * explain misses, incremental build-context digests with `.dockerignore`
 * applied as Docker does, and cache stores in memory and on disk. Uses the
 * Node APIs `fs`, `crypto`, `path`, `os`, `string_decoder` and `timers`;
 * no Docker.
 *
 * @packageDocumentation
 */
export {
  CACHE_KEY_VERSION,
  type CacheKey,
  type CacheKeyInputs,
  deriveCacheKey,
  encodeInputs,
  type FileInput,
} from './cache-key.js';
export {
  type CanonicalValue,
  compareCodePoints,
  encodeCanonical,
  hashCanonical,
} from './canonical.js';
export {
  type ContextEntry,
  type EntryType,
  isUnder,
  toFileInput,
} from './context/context-entry.js';
export {
  type ContextDigest,
  type DigestContextOptions,
  digestContext,
} from './context/digest-context.js';
export {
  type ChangedDuringRead,
  digestFile,
  digestSymlink,
  type EntryDigest,
  sameStats,
} from './context/file-digest.js';
export {
  assertContextFolder,
  type WalkContextOptions,
  type WalkedEntry,
  walkContext,
} from './context/walk-context.js';
export { compareWalkOrder } from './context/walk-order.js';
export { type SentContextOptions, sentContextPatterns } from './dockerignore/build-files.js';
export { cleanPath } from './dockerignore/clean-path.js';
export {
  DockerignoreMatcher,
  type DockerignoreMatcherOptions,
} from './dockerignore/dockerignore-matcher.js';
export type { DockerignoreRules, Pattern } from './dockerignore/pattern.js';
export {
  DOCKERIGNORE_FILE,
  parseDockerignore,
  readDockerignore,
} from './dockerignore/read-dockerignore.js';
export {
  CacheError,
  type CacheErrorCode,
  CacheKeyInputError,
  ContextError,
  DockerignorePatternError,
  StoreError,
} from './errors.js';
export {
  commonDirectory,
  explainMiss,
  type FileChange,
  type MissReason,
  type NamedChange,
  type ValueChange,
} from './explain-miss.js';
export {
  type CacheHit,
  type CacheMiss,
  type ConfirmImage,
  LayerCache,
  type LayerCacheOptions,
  type LookupOptions,
  type RecordOptions,
} from './layer-cache.js';
export { type StepIdentity, stepId } from './step-id.js';
export type {
  CacheEntry,
  CacheEntrySummary,
  CacheStore,
  PrunePolicy,
  StoreStats,
} from './store/cache-store.js';
export { defaultCacheDir } from './store/default-cache-dir.js';
export { FileSystemStore, type FileSystemStoreOptions } from './store/file-system-store.js';
export { MemoryStore } from './store/memory-store.js';
export { planPrune } from './store/prune-plan.js';
