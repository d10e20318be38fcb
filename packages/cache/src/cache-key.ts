/**
 * Cache keys: what a build step's inputs are and how they are hashed. The
 * derivation is specified in the package README ("Cache key derivation").
 */
import { type CanonicalValue, compareCodePoints, hashCanonical, sortedPairs } from './canonical.js';
import type { EntryType } from './context/context-entry.js';
import { CacheKeyInputError } from './errors.js';

/** Version tag that opens every key preimage; it changes when the encoding does. */
export const CACHE_KEY_VERSION = 'gantry.cache-key.v2';

/** One source file of a COPY or ADD, as it enters the key. */
export interface FileInput {
  /**
   * Path relative to the build context root, or for `COPY --from` to `/` of
   * the source image, `/`-separated, without `./`.
   */
  readonly path: string;
  /** Entry type: `file`, `dir`, `symlink` or `other`. */
  readonly type: EntryType;
  /** Permission bits and setuid, setgid and sticky bits (`st_mode & 0o7777`). */
  readonly mode: number;
  /** `sha256:<hex>` of the content (file) or link target text (symlink); empty otherwise. */
  readonly digest: string;
  /**
   * Owner as `uid:gid`, for a file read from an image, whose owner the copy
   * keeps. Absent for files of the build context, which are sent as `0:0`.
   */
  readonly owner?: string;
}

/** Everything that decides the image a step produces. */
export interface CacheKeyInputs {
  /** Image id of the parent image, or `scratch`. */
  readonly parent: string;
  /** Target platform, `os/arch[/variant]`. */
  readonly platform: string;
  /** Instruction kind in upper case (`RUN`, `COPY`, ...). */
  readonly instruction: string;
  /** The instruction's arguments after variable expansion, in order. */
  readonly arguments: readonly string[];
  /** Flags by name without dashes (`chown`, `chmod`); repeated flags keep their order. */
  readonly flags?: Readonly<Record<string, string | readonly string[]>>;
  /** Build args that reach the step, by name. */
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** Environment of the step, by name. */
  readonly env?: Readonly<Record<string, string>>;
  /** For `COPY --from`: the image id of the source stage or image, when the key rests on it. */
  readonly sourceImage?: string;
  /**
   * For COPY and ADD from the context: exactly the files the step reads. For
   * `COPY --from` keyed on content rather than on the source image: the files
   * it reads from the source image, each with its owner.
   */
  readonly files?: readonly FileInput[];
  /**
   * Version of the builder's way of making a step's image, such as
   * `gantry-builder.2`. A builder changes it when the same inputs come to
   * make a different image, so that entries of the older builder stop matching.
   */
  readonly producer?: string;
}

/** A derived key together with the inputs it was derived from. */
export interface CacheKey {
  /** `sha256:<64 hex digits>`. */
  readonly key: string;
  /** The inputs, kept so that a later miss can be explained. */
  readonly inputs: CacheKeyInputs;
}

/**
 * Derives the cache key of a step.
 *
 * @example
 * ```ts
 * const { key } = deriveCacheKey({
 *   parent: 'sha256:4f1c…', platform: 'linux/amd64',
 *   instruction: 'RUN', arguments: ['make'], buildArgs: { VERSION: '1.3' },
 * });
 * ```
 * @throws CacheKeyInputError when two files share a path or a mode is not an integer.
 */
export function deriveCacheKey(inputs: CacheKeyInputs): CacheKey {
  return { key: hashCanonical(encodeInputs(inputs)), inputs };
}

/**
 * Builds the canonical array that {@link deriveCacheKey} hashes, in the field
 * order the README documents.
 */
export function encodeInputs(inputs: CacheKeyInputs): CanonicalValue {
  return [
    CACHE_KEY_VERSION,
    inputs.platform,
    inputs.parent,
    inputs.instruction,
    [...inputs.arguments],
    sortedPairs(inputs.flags).map(([name, value]) => [name, flagValues(value)]),
    sortedPairs(inputs.buildArgs),
    sortedPairs(inputs.env),
    inputs.sourceImage ?? null,
    encodeFiles(inputs.files ?? []),
    inputs.producer ?? null,
  ];
}

/** Returns a flag's values as a list: one value, or the repeated flag's values in order. */
export function flagValues(value: string | readonly string[]): string[] {
  return typeof value === 'string' ? [value] : [...value];
}

function encodeFiles(files: readonly FileInput[]): CanonicalValue[] {
  const sorted = [...files].sort((a, b) => compareCodePoints(a.path, b.path));
  return sorted.map((file, index) => {
    if (index > 0 && sorted[index - 1]?.path === file.path) {
      throw new CacheKeyInputError(
        'files',
        `File ${JSON.stringify(file.path)} appears twice in the cache-key inputs; pass each path once.`,
      );
    }
    if (!Number.isInteger(file.mode) || file.mode < 0 || file.mode > 0o7777) {
      throw new CacheKeyInputError(
        'files',
        `Mode ${file.mode} of ${JSON.stringify(file.path)} is not an integer from 0 to 0o7777; ` +
          'pass st_mode & 0o7777.',
      );
    }
    const encoded: CanonicalValue[] = [file.path, file.type, file.mode, file.digest];
    // Only files from an image have an owner, so keys of context files stay as they were.
    if (file.owner !== undefined) encoded.push(file.owner);
    return encoded;
  });
}
