// Closest-name suggestions for unknown instructions, flags and options ("did you mean").

/**
 * Returns the candidate closest to `input`, compared without regard to case, or
 * `undefined` when none is close enough. The edit distance counts inserted, deleted and
 * substituted characters and swaps of two neighbours. It may be at most a third of the
 * input's length, and at least 1, so `form` suggests `from`, while `x` suggests nothing
 * unless a candidate is one edit away. A candidate that starts with the input (of three
 * or more characters) is close enough too, so `lock` suggests `locked`. The smallest
 * distance wins, and on a tie the earlier candidate.
 *
 * @example
 * ```ts
 * suggestName('tagret', ['target', 'source', 'type']); // 'target'
 * suggestName('zzz', ['target', 'source']); // undefined
 * ```
 */
export function suggestName(input: string, candidates: Iterable<string>): string | undefined {
  const needle = input.toLowerCase();
  const maxDistance = Math.max(1, Math.floor(needle.length / 3));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    const isCompletion = needle.length >= 3 && lower.startsWith(needle);
    // Past `maxDistance` only a completion can win, so the others stop there.
    const limit = isCompletion ? bestDistance : Math.min(bestDistance, maxDistance + 1);
    const distance = editDistance(needle, lower, limit);
    if (distance < bestDistance && (distance <= maxDistance || isCompletion)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Computes the optimal string alignment distance between two strings: the number of
 * insertions, deletions, substitutions and swaps of adjacent characters that turn one
 * into the other. Stops early and returns `limit` once the distance reaches it.
 *
 * @internal
 */
export function editDistance(
  left: string,
  right: string,
  limit = Number.POSITIVE_INFINITY,
): number {
  const a = characters(left);
  const b = characters(right);
  if (Math.abs(a.length - b.length) >= limit) {
    return limit;
  }
  // Three rows, reused in turn, so a call allocates no array per row.
  let beforePrevious = new Int32Array(b.length + 1);
  let previousRow = new Int32Array(b.length + 1);
  let row = Int32Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const spare = beforePrevious;
    beforePrevious = previousRow;
    previousRow = row;
    row = spare;
    row[0] = i;
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(
        (previousRow[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (previousRow[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        distance = Math.min(distance, (beforePrevious[j - 2] as number) + 1);
      }
      row[j] = distance;
      rowMinimum = Math.min(rowMinimum, distance);
    }
    if (rowMinimum >= limit) {
      return limit;
    }
  }
  return Math.min(row[b.length] as number, limit);
}

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Returns the characters of `text` by code point. Text without surrogates is
 * indexed as it is, which saves an array per call.
 */
function characters(text: string): ArrayLike<string> {
  return SURROGATE.test(text) ? Array.from(text) : text;
}
