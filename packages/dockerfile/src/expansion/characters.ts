// Character classes with the meaning Go's `unicode` package gives them, because
// Docker's shell lexer decides names and word breaks with those functions.

const WHITE_SPACE = /^\p{White_Space}$/u;
const LETTER = /^\p{L}$/u;
const DECIMAL_DIGIT = /^\p{Nd}$/u;

/** Tests whether the code point is white space (Go's `unicode.IsSpace`). @internal */
export function isSpace(codePoint: number): boolean {
  if (codePoint < 0x80) {
    return codePoint === 0x20 || (codePoint >= 0x09 && codePoint <= 0x0d);
  }
  return WHITE_SPACE.test(String.fromCodePoint(codePoint));
}

/** Tests whether the code point is a letter (Go's `unicode.IsLetter`). @internal */
export function isLetter(codePoint: number): boolean {
  if (codePoint < 0x80) {
    return (codePoint >= 0x41 && codePoint <= 0x5a) || (codePoint >= 0x61 && codePoint <= 0x7a);
  }
  return codePoint >= 0 && LETTER.test(String.fromCodePoint(codePoint));
}

/** Tests whether the code point is a decimal digit (Go's `unicode.IsDigit`). @internal */
export function isDigit(codePoint: number): boolean {
  if (codePoint < 0x80) {
    return codePoint >= 0x30 && codePoint <= 0x39;
  }
  return codePoint >= 0 && DECIMAL_DIGIT.test(String.fromCodePoint(codePoint));
}

/** Tests whether the code point can continue a variable name: a letter, a digit or `_`. @internal */
export function isNameCharacter(codePoint: number): boolean {
  return codePoint === 0x5f || isLetter(codePoint) || isDigit(codePoint);
}

/**
 * Tests whether the code point is one of the shell's special parameters (`@ * # ? - $ ! 0`).
 * Docker never sets them, so they expand to the empty string.
 *
 * @internal
 */
export function isSpecialParameter(codePoint: number): boolean {
  return codePoint >= 0 && '@*#?-$!0'.includes(String.fromCodePoint(codePoint));
}
