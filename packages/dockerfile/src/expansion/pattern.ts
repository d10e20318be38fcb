// Shell patterns in `${NAME#pattern}`, `${NAME%pattern}` and `${NAME/pattern/text}`,
// matched as Docker's shell lexer (BuildKit, frontend/dockerfile/shell) matches them:
// `*` is any run of characters, `?` is one character, and a backslash makes `*`, `?`
// or `\` literal. Bracket expressions are not supported by BuildKit: `[` and `]` match
// themselves. Neither wildcard crosses a line feed, as with Go's `.`.
import {
  compileTokens,
  type GlobInstruction,
  type GlobMatch,
  type GlobToken,
  runGlob,
} from './glob-machine.js';

/** Raised by {@link compilePattern} for an escape that patterns do not allow. @internal */
export class PatternSyntaxError extends Error {
  override readonly name = 'PatternSyntaxError';
}

/**
 * Compiles a shell pattern, or returns the program compiled before for the same
 * pattern. `greedy` makes `*` prefer the longest run.
 *
 * @internal
 */
export function compilePattern(pattern: string, greedy: boolean): readonly GlobInstruction[] {
  const key = `${greedy ? 'g' : 'l'}${pattern}`;
  let program = compiledPatterns.get(key);
  if (program === undefined) {
    program = compileTokens(tokenizePattern(pattern), greedy);
    if (compiledPatterns.size >= MAX_CACHED_PATTERNS) {
      compiledPatterns.clear();
    }
    compiledPatterns.set(key, program);
  }
  return program;
}

/** Compiled patterns by options and text, because Dockerfiles repeat a few patterns often. */
const compiledPatterns = new Map<string, readonly GlobInstruction[]>();
const MAX_CACHED_PATTERNS = 256;

function tokenizePattern(pattern: string): GlobToken[] {
  const characters = Array.from(pattern);
  const tokens: GlobToken[] = [];
  for (let index = 0; index < characters.length; index++) {
    const character = characters[index] as string;
    if (character === '*') {
      tokens.push({ kind: 'star' });
    } else if (character === '?') {
      tokens.push({ kind: 'any' });
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
      tokens.push({ kind: 'char', codePoint: following.codePointAt(0) as number });
      index++;
    } else {
      tokens.push({ kind: 'char', codePoint: character.codePointAt(0) as number });
    }
  }
  return tokens;
}

/**
 * Finds the first match of a pattern in a value, as code point indexes. The search
 * starts at code point `from`, and `anchored` requires the match to start there.
 *
 * @internal
 */
export function findPattern(
  pattern: string,
  codePoints: readonly number[],
  options: { readonly greedy: boolean; readonly anchored: boolean; readonly from?: number },
): GlobMatch | undefined {
  const program = compilePattern(pattern, options.greedy);
  return runGlob(program, codePoints, options.from ?? 0, options.anchored);
}

/** Removes the shortest (or, when greedy, longest) prefix matching the pattern. @internal */
export function trimPrefix(pattern: string, value: string, greedy: boolean): string {
  const codePoints = toCodePoints(value);
  const match = findPattern(pattern, codePoints, { greedy, anchored: true });
  return match === undefined ? value : value.slice(codeUnitOffset(codePoints, match.end));
}

/**
 * Removes the shortest (or longest) suffix matching the pattern. A leftmost matcher
 * cannot find the shortest match that ends last, so both the value and the pattern are
 * reversed, the prefix is trimmed, and the result is reversed back, as BuildKit does.
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

/** Returns the code points of a text. @internal */
export function toCodePoints(text: string): number[] {
  return Array.from(text, (character) => character.codePointAt(0) as number);
}

/** Returns the UTF-16 offset of the code point at `index`. @internal */
export function codeUnitOffset(codePoints: readonly number[], index: number): number {
  let offset = 0;
  for (let position = 0; position < index; position++) {
    offset += (codePoints[position] as number) > 0xffff ? 2 : 1;
  }
  return offset;
}

/** Returns the UTF-16 offset of every code point index, the text's length included. @internal */
export function codeUnitOffsets(codePoints: readonly number[]): number[] {
  const offsets = [0];
  for (const codePoint of codePoints) {
    offsets.push((offsets[offsets.length - 1] as number) + (codePoint > 0xffff ? 2 : 1));
  }
  return offsets;
}

/** Reverses text by code points, so characters outside the BMP stay whole. @internal */
export function reverseText(text: string): string {
  return Array.from(text).reverse().join('');
}
