/**
 * Syntax check of a pattern with the rules of Go's `filepath.Match`, which
 * Docker calls to reject malformed `.dockerignore` patterns before use.
 */

/**
 * Returns why `pattern` is malformed for Go's `filepath.Match`, or `undefined`
 * when it is valid: a trailing backslash, an unclosed `[`, an empty class, or
 * a class range whose end is missing.
 */
export function findGlobSyntaxError(pattern: string): string | undefined {
  let i = 0;
  while (i < pattern.length) {
    const char = pattern[i];
    if (char === '\\') {
      if (i + 1 >= pattern.length) {
        return 'it ends with an escaping backslash';
      }
      i += 2;
    } else if (char === '[') {
      const end = scanClass(pattern, i + 1);
      if (end === undefined) {
        return `the character class at offset ${i} is empty, unclosed or has a bad range`;
      }
      i = end;
    } else {
      i += 1;
    }
  }
  return undefined;
}

/** Scans a class body from `start`; returns the offset after its `]`, or undefined. */
function scanClass(pattern: string, start: number): number | undefined {
  let i = pattern[start] === '^' ? start + 1 : start;
  let ranges = 0;
  for (;;) {
    if (pattern[i] === ']' && ranges > 0) {
      return i + 1;
    }
    const low = scanClassChar(pattern, i);
    if (low === undefined) {
      return undefined;
    }
    i = low;
    if (pattern[i] === '-') {
      const high = scanClassChar(pattern, i + 1);
      if (high === undefined) {
        return undefined;
      }
      i = high;
    }
    ranges++;
  }
}

/** Scans one class character; Go rejects `-` or `]` there, and a class that ends after it. */
function scanClassChar(pattern: string, start: number): number | undefined {
  let i = start;
  const char = pattern[i];
  if (char === undefined || char === '-' || char === ']') {
    return undefined;
  }
  if (char === '\\') {
    i++;
    if (i >= pattern.length) {
      return undefined;
    }
  }
  const codePoint = pattern.codePointAt(i) ?? 0;
  i += codePoint > 0xffff ? 2 : 1;
  return i < pattern.length ? i : undefined;
}
