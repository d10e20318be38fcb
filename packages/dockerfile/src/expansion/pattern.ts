// Shell patterns in `${NAME#pattern}`, `${NAME%pattern}` and `${NAME/pattern/text}`,
// matched as Docker's shell lexer (BuildKit, frontend/dockerfile/shell) matches them:
// `*` is any run of characters, `?` is one character, and a backslash makes `*`, `?`
// or `\` literal. Bracket expressions are not supported by BuildKit: `[` and `]` match
// themselves. Neither wildcard crosses a line feed, as with Go's `.`.

/** Raised by {@link compilePattern} for an escape that patterns do not allow. @internal */
export class PatternSyntaxError extends Error {
  override readonly name = 'PatternSyntaxError';
}

const REGEX_SPECIALS = new Set('[]{}.+()|^$');
const ANY_CHARACTER = '[^\\n]';

/**
 * Compiles a shell pattern to a regular expression, or returns the one compiled before
 * with `lastIndex` reset. `greedy` makes `*` match the longest run, and `anchored` makes
 * the match start at the beginning of the text.
 *
 * @internal
 */
export function compilePattern(pattern: string, greedy: boolean, anchored: boolean): RegExp {
  const key = `${greedy ? 'g' : 'l'}${anchored ? '^' : '*'}${pattern}`;
  let regex = compiledPatterns.get(key);
  if (regex === undefined) {
    regex = translatePattern(pattern, greedy, anchored);
    if (compiledPatterns.size >= MAX_CACHED_PATTERNS) {
      compiledPatterns.clear();
    }
    compiledPatterns.set(key, regex);
  }
  regex.lastIndex = 0;
  return regex;
}

/** Compiled patterns by options and text, because Dockerfiles repeat a few patterns often. */
const compiledPatterns = new Map<string, RegExp>();
const MAX_CACHED_PATTERNS = 256;

function translatePattern(pattern: string, greedy: boolean, anchored: boolean): RegExp {
  const characters = Array.from(pattern);
  let source = anchored ? '^' : '';
  for (let index = 0; index < characters.length; index++) {
    const character = characters[index] as string;
    if (character === '*') {
      source += greedy ? `${ANY_CHARACTER}*` : `${ANY_CHARACTER}*?`;
    } else if (character === '?') {
      source += ANY_CHARACTER;
    } else if (character === '\\') {
      const following = characters[index + 1];
      // `\}` and `\/` only protect the delimiters of `${...}`, so the pattern drops the
      // backslash and reads the bare character on the next turn.
      if (following === '}' || following === '/') {
        continue;
      }
      if (following !== '*' && following !== '?' && following !== '\\') {
        const written = following === undefined ? 'a backslash at the end' : `"\\${following}"`;
        throw new PatternSyntaxError(`${written} is not a valid escape; use \\*, \\? or \\\\`);
      }
      source += `\\${following}`;
      index++;
    } else {
      source += REGEX_SPECIALS.has(character) ? `\\${character}` : character;
    }
  }
  return new RegExp(source, anchored ? 'u' : 'gu');
}

/** Removes the shortest (or, when greedy, longest) prefix matching the pattern. @internal */
export function trimPrefix(pattern: string, value: string, greedy: boolean): string {
  const match = compilePattern(pattern, greedy, true).exec(value);
  return match === null ? value : value.slice(match[0].length);
}

/**
 * Removes the shortest (or longest) suffix matching the pattern. A regular expression
 * cannot find the shortest match that ends last, so both the value and the pattern are
 * reversed, the prefix is trimmed, and the result is reversed back.
 *
 * @internal
 */
export function trimSuffix(pattern: string, value: string, greedy: boolean): string {
  const reversed = trimPrefix(reversePattern(pattern), reverseText(value), greedy);
  return reverseText(reversed);
}

/** Reverses a pattern while keeping each escape before the character it escapes. @internal */
export function reversePattern(pattern: string): string {
  const characters = Array.from(pattern);
  const last = characters.length - 1;
  const reversed = new Array<string>(characters.length);
  let index = 0;
  while (index <= last) {
    const character = characters[index] as string;
    if (character === '\\' && index !== last) {
      reversed[last - index - 1] = character;
      reversed[last - index] = characters[index + 1] as string;
      index += 2;
    } else {
      reversed[last - index] = character;
      index++;
    }
  }
  return reversed.join('');
}

/** Reverses text by code points, so characters outside the BMP stay whole. @internal */
export function reverseText(text: string): string {
  return Array.from(text).reverse().join('');
}
