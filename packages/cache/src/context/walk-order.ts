/** The order in which the walk yields paths, used to merge a new walk with the stat cache. */
import { compareCodePoints } from '../canonical.js';

/**
 * Compares two context paths in walk order: element by element in code point
 * order, a folder before everything under it. This is depth-first order with
 * each folder's names sorted, which is how {@link walkContext} yields them.
 */
export function compareWalkOrder(a: string, b: string): number {
  if (a === b) {
    return 0;
  }
  let i = 0;
  let j = 0;
  for (;;) {
    const endA = nextSlash(a, i);
    const endB = nextSlash(b, j);
    const order = compareCodePoints(a.slice(i, endA), b.slice(j, endB));
    if (order !== 0) {
      return order;
    }
    const doneA = endA >= a.length;
    const doneB = endB >= b.length;
    if (doneA || doneB) {
      if (doneA === doneB) {
        return 0;
      }
      return doneA ? -1 : 1;
    }
    i = endA + 1;
    j = endB + 1;
  }
}

function nextSlash(path: string, from: number): number {
  const index = path.indexOf('/', from);
  return index === -1 ? path.length : index;
}
