// Typed values of the flags Dockerfile instructions accept, and which flags each takes.

export { checkInstructionFlags, type WrittenFlag } from './check-flags.js';
export type { FileMode, SymbolicModeClause, SymbolicModeOperation } from './chmod.js';
export {
  FlagError,
  type FlagErrorCode,
  type FlagErrorDetails,
  type FlagResult,
} from './errors.js';
export type { HealthcheckDuration } from './healthcheck.js';
export { MOUNT_OPTIONS } from './mount/options.js';
export { parseMount } from './mount/parse-mount.js';
export type { CacheSharing, Mount, MountType } from './mount/types.js';
export type { Identity, Ownership } from './ownership.js';
export {
  type FlagValues,
  parseFlag,
  parseFlagValue,
  type TypedFlag,
} from './parse-flag.js';
export type { Platform } from './platform.js';
export type { NetworkMode, SecurityMode } from './run-modes.js';
export type { Checksum, CopySource } from './sources.js';
export { FLAG_SPECS, type FlagKind, type FlagSpec, flagsOf, INSTRUCTION_FLAGS } from './table.js';
