import { compilePattern } from './pattern.js';

// `${NAME/pattern/text}` and `${NAME//pattern/text}` as BuildKit computes them with Go's
// regexp package. The two forms differ in Go, and so they differ here: the first
// inserts the replacement as written, the second reads `$0`, `${0}` and `$$` in it as
// Go's `Regexp.Expand` does.

/** Replaces the first match of the pattern, with the replacement inserted as written. @internal */
export function replaceFirst(value: string, pattern: string, replacement: string): string {
  const match = compilePattern(pattern, true, false).exec(value);
  if (match === null) {
    return value;
  }
  const end = match.index + match[0].length;
  return value.slice(0, match.index) + replacement + value.slice(end);
}

/**
 * Replaces every match of the pattern as Go's `ReplaceAllString` does: an empty match
 * right after another match is skipped, and the search always moves forward by at
 * least one character.
 *
 * @internal
 */
export function replaceAll(value: string, pattern: string, replacement: string): string {
  const regex = compilePattern(pattern, true, false);
  let result = '';
  let lastMatchEnd = 0;
  let searchFrom = 0;
  while (searchFrom <= value.length) {
    regex.lastIndex = searchFrom;
    const match = regex.exec(value);
    if (match === null) {
      break;
    }
    const start = match.index;
    const end = start + match[0].length;
    result += value.slice(lastMatchEnd, start);
    if (end > lastMatchEnd || start === 0) {
      result += expandTemplate(replacement, match[0]);
    }
    lastMatchEnd = end;
    searchFrom = nextSearchOffset(value, searchFrom, end);
  }
  return result + value.slice(lastMatchEnd);
}

function nextSearchOffset(value: string, searchFrom: number, matchEnd: number): number {
  const width = characterWidth(value, searchFrom);
  if (searchFrom + width > matchEnd) {
    return searchFrom + width;
  }
  if (searchFrom + 1 > matchEnd) {
    return searchFrom + 1;
  }
  return matchEnd;
}

function characterWidth(value: string, offset: number): number {
  const codePoint = value.codePointAt(offset);
  if (codePoint === undefined) {
    return 0;
  }
  return codePoint > 0xffff ? 2 : 1;
}

const TEMPLATE_NAME = /^[\p{L}\p{Nd}_]+/u;

/**
 * Expands a Go regexp template for a pattern without groups: `$$` is a dollar sign,
 * `$0` and `${0}` are the whole match, any other group reference is empty, and a `$`
 * that starts no reference stays as it is.
 *
 * @internal
 */
export function expandTemplate(template: string, matched: string): string {
  let result = '';
  let rest = template;
  for (let dollar = rest.indexOf('$'); dollar !== -1; dollar = rest.indexOf('$')) {
    result += rest.slice(0, dollar);
    rest = rest.slice(dollar + 1);
    if (rest.startsWith('$')) {
      result += '$';
      rest = rest.slice(1);
      continue;
    }
    const reference = readTemplateReference(rest);
    if (reference === undefined) {
      result += '$';
      continue;
    }
    result += reference.name === '0' ? matched : '';
    rest = rest.slice(reference.length);
  }
  return result + rest;
}

function readTemplateReference(text: string): { name: string; length: number } | undefined {
  const braced = text.startsWith('{');
  const name = TEMPLATE_NAME.exec(braced ? text.slice(1) : text)?.[0];
  if (name === undefined) {
    return undefined;
  }
  if (!braced) {
    return { name, length: name.length };
  }
  return text[name.length + 1] === '}' ? { name, length: name.length + 2 } : undefined;
}
