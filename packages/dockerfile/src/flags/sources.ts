import { type FlagResult, invalidValue, parsed } from './errors.js';

/** The value of COPY's `--from`: a stage index, or a stage name or image reference. */
export type CopySource =
  | { readonly kind: 'stage-index'; readonly index: number; readonly text: string }
  | { readonly kind: 'name'; readonly name: string; readonly text: string };

/**
 * Parses `--from`. A number is a stage index; anything else names a stage or, when no
 * stage has that name, an image. An empty value gives `undefined`, as Docker ignores it.
 */
export function parseFrom(text: string): FlagResult<CopySource | undefined> {
  if (text === '') {
    return parsed(undefined);
  }
  if (/^[0-9]+$/.test(text)) {
    return parsed({ kind: 'stage-index', index: Number.parseInt(text, 10), text });
  }
  if (/\s/.test(text)) {
    return invalidValue({
      flag: 'from',
      value: text,
      reason: 'it contains white space',
      expected: 'a stage name, a stage index or an image reference',
      example: '--from=build',
    });
  }
  return parsed({ kind: 'name', name: text, text });
}

/** The value of ADD's `--checksum`: a content digest, or a commit for a Git source. */
export interface Checksum {
  /** `sha256`, `sha384` or `sha512` for a digest; `commit` for a bare Git commit hash. */
  readonly algorithm: 'sha256' | 'sha384' | 'sha512' | 'commit';
  /** The hexadecimal part, lower case as written. */
  readonly hex: string;
  /** The value as written. */
  readonly text: string;
}

const DIGEST_LENGTHS: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };

/**
 * Parses `--checksum`: `sha256:<64 hex digits>` (or sha384, sha512) for a file, or a
 * 40- or 64-digit commit hash for a Git source. An empty value gives `undefined`.
 */
export function parseChecksum(text: string): FlagResult<Checksum | undefined> {
  if (text === '') {
    return parsed(undefined);
  }
  if (/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(text)) {
    return parsed({ algorithm: 'commit', hex: text, text });
  }
  const [algorithm = '', hex = ''] = text.split(':', 2);
  const length = DIGEST_LENGTHS[algorithm];
  if (length !== undefined && hex.length === length && /^[0-9a-f]+$/.test(hex)) {
    return parsed({ algorithm: algorithm as Checksum['algorithm'], hex, text });
  }
  return invalidValue({
    flag: 'checksum',
    value: text,
    reason: describeDigestProblem(algorithm, hex, length),
    expected: 'sha256:<64 lower-case hex digits> (or sha384, sha512), or a Git commit hash',
    example: `--checksum=sha256:${'0'.repeat(64)}`,
  });
}

function describeDigestProblem(
  algorithm: string,
  hex: string,
  length: number | undefined,
): string | undefined {
  if (length === undefined) {
    return `"${algorithm}" is not a supported digest algorithm`;
  }
  if (!/^[0-9a-f]*$/.test(hex)) {
    return 'the digest has characters that are not lower-case hex digits';
  }
  return `a ${algorithm} digest has ${length} hex digits, not ${hex.length}`;
}
