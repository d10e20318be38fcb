// Value syntaxes of Go's strconv functions, which BuildKit uses to read flag values.

const TRUE_WORDS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE_WORDS = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Parses a boolean as Go's `strconv.ParseBool` does, or returns `undefined`. @internal */
export function parseGoBool(text: string): boolean | undefined {
  if (TRUE_WORDS.has(text)) {
    return true;
  }
  return FALSE_WORDS.has(text) ? false : undefined;
}

const MAX_UINT32 = 0xffff_ffff;

/**
 * Parses an unsigned 32-bit integer in base 8 or 10 as Go's `strconv.ParseUint(text,
 * base, 32)` does: digits of the base only, no sign, prefix or underscore.
 *
 * @internal
 */
export function parseGoUint32(text: string, base: 8 | 10): number | undefined {
  const digits = base === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!digits.test(text)) {
    return undefined;
  }
  const value = Number.parseInt(text, base);
  return value <= MAX_UINT32 ? value : undefined;
}

/** Parses a signed 32-bit decimal integer as Go's `strconv.ParseInt(text, 10, 32)` does. @internal */
export function parseGoInt32(text: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) {
    return undefined;
  }
  const value = Number.parseInt(text, 10);
  return value >= -0x8000_0000 && value <= 0x7fff_ffff ? value : undefined;
}
