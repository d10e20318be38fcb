/**
 * Go's `fmt` formatting of the values the classic builder writes into
 * history comments (`#(nop)  CMD ["sh" "-c" "x"]`), so gantry's history reads
 * the same.
 */

const NAMED_ESCAPES: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  '"': '\\"',
};

/** Quotes a string as Go's `%q` (`strconv.Quote`) does for text without invalid UTF-8. */
export function goQuote(value: string): string {
  let quoted = '"';
  for (const character of value) {
    quoted += escapeCharacter(character);
  }
  return `${quoted}"`;
}

function escapeCharacter(character: string): string {
  const named = NAMED_ESCAPES[character];
  if (named !== undefined) return named;
  const code = character.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
  return character;
}

/** Formats a list as Go's `%q` does: `["a" "b"]`. */
export function goQuoteList(values: readonly string[]): string {
  return `[${values.map(goQuote).join(' ')}]`;
}

/** Formats a list as Go's `%v` does: `[a b]`. */
export function goList(values: readonly string[]): string {
  return `[${values.join(' ')}]`;
}

/** Formats a small integer as Go's `%q` does: a rune literal such as `'\x03'`. */
export function goQuoteRune(value: number): string {
  if (value === 39) return "'\\''";
  if (value >= 0x20 && value < 0x7f && value !== 92) return `'${String.fromCharCode(value)}'`;
  if (value === 92) return "'\\\\'";
  const named = NAMED_ESCAPES[String.fromCharCode(value)];
  if (named !== undefined && value < 0x20) return `'${named}'`;
  return `'\\x${value.toString(16).padStart(2, '0')}'`;
}

const UNITS: readonly [string, bigint][] = [
  ['h', 3_600_000_000_000n],
  ['m', 60_000_000_000n],
];

/** Formats nanoseconds as Go's `time.Duration.String` does: `1m30s`, `500ms`, `0s`. */
export function goDuration(nanoseconds: number): string {
  const total = BigInt(Math.trunc(nanoseconds));
  if (total === 0n) return '0s';
  if (total < 1_000_000_000n) return subSecond(total);
  let rest = total;
  let text = '';
  for (const [unit, size] of UNITS) {
    if (rest >= size || text !== '') {
      const count = rest / size;
      if (count > 0n || text !== '') text += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return `${text}${decimal(rest, 1_000_000_000n)}s`;
}

function subSecond(total: bigint): string {
  if (total < 1_000n) return `${total}ns`;
  if (total < 1_000_000n) return `${decimal(total, 1_000n)}µs`;
  return `${decimal(total, 1_000_000n)}ms`;
}

function decimal(value: bigint, unit: bigint): string {
  const whole = value / unit;
  const fraction = value % unit;
  if (fraction === 0n) return `${whole}`;
  const digits = unit.toString().length - 1;
  const text = fraction.toString().padStart(digits, '0').replace(/0+$/, '');
  return `${whole}.${text}`;
}
