/**
 * Encodes a string as Go's encoding/json does (Go 1.19, the version Docker
 * Engine 20.10 is built with): `<`, `>` and `&` as `\u003c`, `\u003e` and
 * `\u0026`, U+2028 and U+2029 escaped, and control characters other than
 * `\n`, `\r` and `\t` as `\u00XX`. Lone surrogates become `\ufffd`, as Go
 * writes invalid UTF-8.
 */
export function goJsonString(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) {
    return `"${text}"`;
  }
  return `"${text.replace(ESCAPED, escapeCharacter)}"`;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what Go escapes
const NEEDS_ESCAPE = /[\u0000-\u001f"\\<>&\u2028\u2029\ud800-\udfff]/;
const ESCAPED =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what Go escapes
  /[\u0000-\u001f"\\<>&\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

function escapeCharacter(character: string): string {
  const short = SHORT_ESCAPES[character];
  if (short !== undefined) {
    return short;
  }
  const code = character.charCodeAt(0);
  if (code >= 0xd800 && code <= 0xdfff) {
    return '\\ufffd';
  }
  return `\\u${code.toString(16).padStart(4, '0')}`;
}
