/** Value syntax of a flag, as BuildKit's flag reader defines it. */
export type FlagKind =
  /** `--name` alone means true; `--name=true` and `--name=false` are accepted too. */
  | 'boolean'
  /** `--name=value`, at most once ({@link checkInstructionFlags} reports a repeat). */
  | 'string'
  /** `--name=value`, any number of times. */
  | 'repeatable';

/** Value syntax and expansion of one known flag. */
export interface FlagSpec {
  readonly kind: FlagKind;
  /** Whether Docker expands variables in the value before using it. */
  readonly expands: boolean;
}

/** Every known flag, by name without `--`. */
export const FLAG_SPECS: Readonly<Record<string, FlagSpec>> = {
  platform: { kind: 'string', expands: true },
  from: { kind: 'string', expands: true },
  chown: { kind: 'string', expands: true },
  chmod: { kind: 'string', expands: true },
  link: { kind: 'boolean', expands: false },
  parents: { kind: 'boolean', expands: false },
  exclude: { kind: 'repeatable', expands: true },
  checksum: { kind: 'string', expands: true },
  'keep-git-dir': { kind: 'boolean', expands: false },
  unpack: { kind: 'boolean', expands: false },
  mount: { kind: 'repeatable', expands: true },
  network: { kind: 'string', expands: false },
  security: { kind: 'string', expands: false },
  device: { kind: 'repeatable', expands: true },
  interval: { kind: 'string', expands: false },
  timeout: { kind: 'string', expands: false },
  'start-period': { kind: 'string', expands: false },
  'start-interval': { kind: 'string', expands: false },
  retries: { kind: 'string', expands: false },
};

/**
 * The flags each instruction accepts, by upper-case keyword, as in BuildKit's
 * Dockerfile frontend 1.x. It includes `--parents` and `--exclude`, which older
 * frontends accept only with the `1-labs` syntax. Instructions not listed take no flag.
 * NOTE: BuildKit ignores flags on STOPSIGNAL instead of rejecting them, while this
 * table gives STOPSIGNAL none, so a flag there is reported as unknown.
 *
 * @example
 * ```ts
 * INSTRUCTION_FLAGS.COPY.includes('chown'); // true
 * ```
 */
export const INSTRUCTION_FLAGS: Readonly<Record<string, readonly string[]>> = {
  FROM: ['platform'],
  COPY: ['from', 'chown', 'chmod', 'link', 'parents', 'exclude'],
  ADD: ['chown', 'chmod', 'link', 'keep-git-dir', 'checksum', 'unpack', 'exclude'],
  RUN: ['mount', 'network', 'security', 'device'],
  HEALTHCHECK: ['interval', 'timeout', 'start-period', 'start-interval', 'retries'],
};

/** Returns the flags an instruction accepts; an empty list for one that takes none. */
export function flagsOf(instruction: string): readonly string[] {
  const key = instruction.toUpperCase();
  return Object.hasOwn(INSTRUCTION_FLAGS, key) ? (INSTRUCTION_FLAGS[key] as readonly string[]) : [];
}
