import type { CacheSharing, MountType } from './types.js';

/** Mount types in the order Docker's documentation lists them. @internal */
export const MOUNT_TYPES: readonly MountType[] = ['bind', 'cache', 'tmpfs', 'secret', 'ssh'];

/** Sharing modes of cache mounts. @internal */
export const CACHE_SHARING_MODES: readonly CacheSharing[] = ['shared', 'private', 'locked'];

/**
 * Every option name `--mount` accepts, aliases included, in the order used to pick a
 * suggestion for an unknown one.
 */
export const MOUNT_OPTIONS: readonly string[] = [
  'type',
  'target',
  'source',
  'from',
  'readonly',
  'id',
  'sharing',
  'required',
  'size',
  'mode',
  'uid',
  'gid',
  'env',
  'src',
  'dst',
  'destination',
  'ro',
  'rw',
  'readwrite',
];
