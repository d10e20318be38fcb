/**
 * Line continuation as BuildKit reads it: the escape character is the last
 * character before trailing blanks and is not itself escaped.
 */

/**
 * Returns the length of `line` without its continuation (escape character and
 * trailing spaces or tabs), or -1 when the line does not continue.
 */
export function continuationCut(line: string, escapeCharacter: string): number {
  let end = line.length;
  while (end > 0 && isBlank(line.charCodeAt(end - 1))) end--;
  if (end === 0 || line[end - 1] !== escapeCharacter) return -1;
  if (end >= 2 && line[end - 2] === escapeCharacter) return -1;
  return end - 1;
}

/** Space or tab. */
export function isBlank(code: number): boolean {
  return code === 32 || code === 9;
}

/** True for the white space of Go's unicode.IsSpace in the ASCII range, without line breaks. */
export function isInlineSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 11 || code === 12 || code === 13;
}

/** Index of the first character of `text` from `from` that is not white space. */
export function skipSpace(text: string, from: number): number {
  let index = from;
  while (index < text.length && isSpaceCode(text.charCodeAt(index))) index++;
  return index;
}

/** White space as Go's unicode.IsSpace reads it (ASCII, NEL and no-break space). */
export function isSpaceCode(code: number): boolean {
  return (code >= 9 && code <= 13) || code === 32 || code === 0x85 || code === 0xa0;
}
