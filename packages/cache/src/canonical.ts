/**
 * The canonical encoding behind cache keys and step ids: a JSON array of
 * strings, safe integers, `null` and nested arrays, serialised without
 * whitespace by ECMAScript `JSON.stringify` (the string rules of RFC 8785),
 * then hashed with SHA-256 over its UTF-8 bytes.
 */
import { createHash } from 'node:crypto';

/** A value the canonical encoding accepts. Objects are not allowed: maps become sorted pairs. */
export type CanonicalValue = string | number | null | readonly CanonicalValue[];

/**
 * Encodes a value as canonical JSON text.
 *
 * @throws TypeError when a number is not a safe integer, because floats have
 * more than one text form across languages.
 */
export function encodeCanonical(value: CanonicalValue): string {
  assertCanonical(value);
  return JSON.stringify(value);
}

/** Hashes the canonical encoding of `value` and returns `sha256:<64 hex digits>`. */
export function hashCanonical(value: CanonicalValue): string {
  return `sha256:${sha256Hex(encodeCanonical(value))}`;
}

/** Returns the SHA-256 of a string's UTF-8 bytes (or of a buffer) as lowercase hex. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Compares two strings by Unicode code point, which is also the order of their
 * UTF-8 bytes and the order Go's `sort.Strings` gives. Plain `<` compares
 * UTF-16 code units and puts U+E000..U+FFFF after astral characters.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      return codePointRank(x) - codePointRank(y);
    }
  }
  return a.length - b.length;
}

/** Sorts `[name, value]` pairs of a record by name, in code point order. */
export function sortedPairs<T>(record: Readonly<Record<string, T>> | undefined): [string, T][] {
  if (record === undefined) {
    return [];
  }
  return Object.entries(record).sort(([a], [b]) => compareCodePoints(a, b));
}

function codePointRank(unit: number): number {
  if (unit >= 0xe000) {
    return unit - 0x800;
  }
  if (unit >= 0xd800) {
    return unit + 0x2000;
  }
  return unit;
}

function assertCanonical(value: CanonicalValue): void {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new TypeError(`Canonical encoding accepts safe integers only, received ${value}.`);
  }
  if (Array.isArray(value)) {
    for (const item of value as readonly CanonicalValue[]) {
      assertCanonical(item);
    }
  }
}
