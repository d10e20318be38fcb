// Sizes such as `64m` or `1GiB`, read as go-units' RAMInBytes reads them: the unit
// letters are powers of 1024 and a trailing `b` or `ib` changes nothing.

const MULTIPLIERS: Readonly<Record<string, number>> = {
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
  p: 1024 ** 5,
};

const NUMBER = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

/** Parses a size in bytes, or returns `undefined` when it is not one. @internal */
export function parseSize(text: string): number | undefined {
  const split = splitNumber(text);
  if (split === undefined || !NUMBER.test(split.number)) {
    return undefined;
  }
  const size = Number.parseFloat(split.number);
  if (size < 0) {
    return undefined;
  }
  const multiplier = suffixMultiplier(split.suffix.toLowerCase());
  return multiplier === undefined ? undefined : Math.trunc(size * multiplier);
}

function splitNumber(text: string): { number: string; suffix: string } | undefined {
  let last = -1;
  for (let index = text.length - 1; index >= 0; index--) {
    if ('0123456789. '.includes(text[index] as string)) {
      last = index;
      break;
    }
  }
  if (last === -1) {
    return undefined;
  }
  const number = text[last] === ' ' ? text.slice(0, last) : text.slice(0, last + 1);
  return { number, suffix: text.slice(last + 1) };
}

function suffixMultiplier(suffix: string): number | undefined {
  if (suffix === '' || suffix === 'b') {
    return 1;
  }
  const multiplier = MULTIPLIERS[suffix[0] as string];
  if (multiplier === undefined || suffix.length > 3) {
    return undefined;
  }
  const tail = suffix.slice(1);
  return tail === '' || tail === 'b' || tail === 'ib' ? multiplier : undefined;
}
