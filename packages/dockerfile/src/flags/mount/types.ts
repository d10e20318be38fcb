/** The kinds of `RUN --mount`. */
export type MountType = 'bind' | 'cache' | 'tmpfs' | 'secret' | 'ssh';

/** Sharing mode of a cache mount: used at once, a copy for each build, or one build at a time. */
export type CacheSharing = 'shared' | 'private' | 'locked';

/**
 * The value of one `RUN --mount`. Docker accepts every option on every type unless a
 * rule below rejects it, so all options are on one shape, and each comment names the
 * types that use the option.
 */
export interface Mount {
  /** The kind of mount; `bind` when no `type=` is given. */
  readonly type: MountType;
  /** Path of the mount in the container (`target`, `dst`, `destination`). */
  readonly target?: string;
  /** Path in the `from` image or stage (bind, cache), or the secret's file (secret). */
  readonly source?: string;
  /** Stage or image to mount from (bind, cache); the build context when absent. */
  readonly from?: string;
  /** Whether the mount is read-only; by default bind, secret and ssh mounts are. */
  readonly readOnly: boolean;
  /**
   * Cache id (cache), secret id (secret) or SSH agent id (ssh). When it is absent, BuildKit
   * uses the target for a cache, the source or else the target's file name for a secret,
   * and `default` for SSH.
   */
  readonly id?: string;
  /** Sharing of a cache mount; `shared` applies when absent. Only cache mounts take it. */
  readonly sharing?: CacheSharing;
  /** File mode (cache, secret, ssh), from an octal value. */
  readonly mode?: number;
  /** Owner user id (cache, secret, ssh). */
  readonly uid?: number;
  /** Owner group id (cache, secret, ssh). */
  readonly gid?: number;
  /** Whether the build fails when the secret or SSH agent is missing (secret, ssh). */
  readonly required: boolean;
  /** Environment variable that receives the secret's value (secret). */
  readonly env?: string;
  /** Size limit in bytes (tmpfs). */
  readonly size?: number;
}
