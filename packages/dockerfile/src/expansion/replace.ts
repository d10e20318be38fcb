import { codeUnitOffset, codeUnitOffsets, findPattern, toCodePoints } from './pattern.js';

// `${NAME/pattern/text}` and `${NAME//pattern/text}` as BuildKit computes them with Go's
// regexp package. The two forms differ in Go, and so they differ here: the first
// inserts the replacement as written, the second reads `$0`, `${0}` and `$$` in it as
// Go's `Regexp.Expand` does.

/** Replaces the first match of the pattern, with the replacement inserted as written. @internal */
export function replaceFirst(value: string, pattern: string, replacement: string): string {
  const codePoints = toCodePoints(value);
  const match = findPattern(pattern, codePoints, { greedy: true, anchored: false });
  if (match === undefined) {
    return value;
  }
  const start = codeUnitOffset(codePoints, match.start);
  const end = codeUnitOffset(codePoints, match.end);
  return value.slice(0, start) + replacement + value.slice(end);
}

/**
 * Replaces every match of the pattern as Go's `ReplaceAllString` does: an empty match
 * right after another match is skipped, and the search always moves forward by at
 * least one character.
 *
 * @internal
 */
export function replaceAll(value: string, pattern: string, replacement: string): string {
  const codePoints = toCodePoints(value);
  const offsets = codeUnitOffsets(codePoints);
  const slice = (start: number, end: number) => value.slice(offsets[start], offsets[end]);
  const pieces: string[] = [];
  let lastMatchEnd = 0;
  let searchFrom = 0;
  while (searchFrom <= codePoints.length) {
    const match = findPattern(pattern, codePoints, {
      greedy: true,
      anchored: false,
      from: searchFrom,
    });
    if (match === undefined) {
      break;
    }
    pieces.push(slice(lastMatchEnd, match.start));
    if (match.end > lastMatchEnd || match.start === 0) {
      pieces.push(expandTemplate(replacement, slice(match.start, match.end)));
    }
    lastMatchEnd = match.end;
    searchFrom = nextSearchIndex(codePoints.length, searchFrom, match.end);
  }
  pieces.push(slice(lastMatchEnd, codePoints.length));
  return pieces.join('');
}

function nextSearchIndex(length: number, searchFrom: number, matchEnd: number): number {
  const width = searchFrom < length ? 1 : 0;
  if (searchFrom + width > matchEnd) {
    return searchFrom + width;
  }
  if (searchFrom + 1 > matchEnd) {
    return searchFrom + 1;
  }
  return matchEnd;
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
