// Go durations (`time.ParseDuration`), used by HEALTHCHECK's timing flags.

/** Nanoseconds in each unit that Go durations accept. */
const UNIT_NANOSECONDS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['\u00b5s', 1_000n],
  ['\u03bcs', 1_000n],
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);

const MAX_DURATION = 2n ** 63n - 1n;
const COMPONENT = /^([0-9]*)(?:\.([0-9]*))?([^0-9.]*)/;

/**
 * Parses a Go duration such as `30s`, `1m30s`, `1.5h` or `500ms` into nanoseconds, or
 * returns an explanation of what is wrong. Fractions below a nanosecond are dropped.
 *
 * @internal
 */
export function parseGoDuration(text: string): bigint | string {
  let rest = text;
  const negative = rest.startsWith('-');
  if (negative || rest.startsWith('+')) {
    rest = rest.slice(1);
  }
  if (rest === '0') {
    return 0n;
  }
  if (rest === '') {
    return 'the duration is empty';
  }
  let total = 0n;
  while (rest !== '') {
    const component = readComponent(rest);
    if (typeof component === 'string') {
      return component;
    }
    total += component.nanoseconds;
    if (total > MAX_DURATION) {
      return 'the duration is too long';
    }
    rest = rest.slice(component.length);
  }
  return negative ? -total : total;
}

function readComponent(text: string): { nanoseconds: bigint; length: number } | string {
  const match = COMPONENT.exec(text) as RegExpExecArray;
  const [whole, integer = '', fraction, unit = ''] = match;
  if (integer === '' && (fraction === undefined || fraction === '')) {
    return `"${text}" does not start with a number`;
  }
  if (unit === '') {
    return `"${whole}" has no unit`;
  }
  const scale = UNIT_NANOSECONDS.get(unit);
  if (scale === undefined) {
    return `"${unit}" is not a unit; use ns, us, ms, s, m or h`;
  }
  let nanoseconds = BigInt(integer === '' ? '0' : integer) * scale;
  if (fraction !== undefined && fraction !== '') {
    nanoseconds += (BigInt(fraction) * scale) / 10n ** BigInt(fraction.length);
  }
  return { nanoseconds, length: whole.length };
}
