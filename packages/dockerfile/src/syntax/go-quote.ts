/**
 * Go's `strconv.Quote`, which BuildKit's dump uses for every argument.
 */

const NAMED_ESCAPES: Record<number, string> = {
  7: '\\a',
  8: '\\b',
  9: '\\t',
  10: '\\n',
  11: '\\v',
  12: '\\f',
  13: '\\r',
  34: '\\"',
  92: '\\\\',
};

/** Quotes a string as Go's `%q` does: printable Unicode kept, the rest escaped. */
export function goQuote(value: string): string {
  let result = '"';
  for (const character of value) {
    const code = character.codePointAt(0) as number;
    const named = NAMED_ESCAPES[code];
    if (named !== undefined) result += named;
    else if (isPrintable(code)) result += character;
    else result += escapeCode(code);
  }
  return `${result}"`;
}

function escapeCode(code: number): string {
  if (code < 0x80) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code >= 0xd800 && code <= 0xdfff) return '\\ufffd';
  if (code < 0x10000) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\U${code.toString(16).padStart(8, '0')}`;
}

const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Cn}\p{Zl}\p{Zp}]|[\p{Zs}]/u;

function isPrintable(code: number): boolean {
  if (code === 32) return true;
  if (code < 32 || code === 127) return false;
  return !NOT_PRINTABLE.test(String.fromCodePoint(code));
}
