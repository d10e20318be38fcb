/**
 * Reading a builder flag as written (`--chown="a b"`) into its name and value,
 * removing quotes and backslash escapes as BuildKit does for flags.
 */

/** Name, value and unquoted text of one flag. */
export interface FlagParts {
  readonly name: string;
  readonly value: string | undefined;
  readonly unquoted: string;
}

/** Splits a flag word into name and value after removing quotes and escapes. */
export function readFlag(text: string): FlagParts {
  const unquoted = unquoteFlag(text);
  const body = unquoted.slice(2);
  const equals = body.indexOf('=');
  if (equals === -1) return { name: body, value: undefined, unquoted };
  return { name: body.slice(0, equals), value: body.slice(equals + 1), unquoted };
}

const HAS_QUOTE_OR_ESCAPE = /["'\\]/;

/** Removes quotes; a backslash escapes the next character inside and outside quotes. */
export function unquoteFlag(text: string): string {
  if (!HAS_QUOTE_OR_ESCAPE.test(text)) return text;
  let result = '';
  let quote = '';
  for (let index = 0; index < text.length; index++) {
    const character = text[index] as string;
    if (character === '\\') {
      if (index + 1 < text.length) result += text[++index];
    } else if (quote !== '' && character === quote) {
      quote = '';
    } else if (quote === '' && (character === '"' || character === "'")) {
      quote = character;
    } else {
      result += character;
    }
  }
  return result;
}
