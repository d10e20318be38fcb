/**
 * One `.dockerignore` pattern compiled to a matcher, with the translation to a
 * regular expression that Docker performs. Two rule sets exist because Docker
 * changed the translation. `moby` is moby/patternmatcher, as Docker 23 and
 * later and BuildKit use it. `docker-20.10` is the 20.10 CLI's `fileutils`.
 */
import { DockerignorePatternError } from '../errors.js';
import { cleanPath } from './clean-path.js';
import { findGlobSyntaxError } from './glob-syntax.js';

/** The Docker release whose pattern rules apply. */
export type DockerignoreRules = 'moby' | 'docker-20.10';

/** A compiled pattern. */
export interface Pattern {
  /** The cleaned pattern without its `!`. */
  readonly text: string;
  /** Whether the pattern started with `!` (an exception). */
  readonly exclusion: boolean;
  /** Number of `/`-separated elements, used by the 20.10 parent check. */
  readonly depth: number;
  /** Tests a `/`-separated path relative to the context root. */
  readonly test: (path: string) => boolean;
}

/** Matches one character except `/`, a surrogate pair counting as one (Go matches runes). */
const ONE_CHAR = '(?:[\\uD800-\\uDBFF][\\uDC00-\\uDFFF]|[^/])';
/** Go's `.*`: any text without a newline (JavaScript's `.` also stops at \r, U+2028 and U+2029). */
const ANY_TEXT = '[^\\n]*';
/** Characters `moby` escapes; 20.10 escapes only `.` and `$` and passes the rest to the regexp. */
const ESCAPED = { moby: new Set('.+()|{}$'), 'docker-20.10': new Set('.$') };

/**
 * Compiles a pattern as Docker's `PatternMatcher` does: trim, clean with Go's
 * `filepath.Clean`, take a leading `!` as an exception, check the syntax with
 * `filepath.Match`'s rules, then translate `*`, `**` and `?` to a regexp.
 *
 * @throws DockerignorePatternError for `!` alone or a malformed pattern.
 */
export function compilePattern(raw: string, rules: DockerignoreRules): Pattern | undefined {
  const trimmed = raw.trim();
  if (trimmed === '') {
    return undefined;
  }
  let text = cleanPath(trimmed);
  const exclusion = text.startsWith('!');
  if (exclusion) {
    if (text.length === 1) {
      throw new DockerignorePatternError(raw, 'an exception needs a pattern after "!"');
    }
    text = text.slice(1);
  }
  const syntaxError = findGlobSyntaxError(text);
  if (syntaxError !== undefined) {
    throw new DockerignorePatternError(raw, syntaxError);
  }
  const test = rules === 'moby' ? compileMoby(raw, text) : compileRegExp(raw, text, rules).test;
  return { text, exclusion, depth: text.split('/').length, test };
}

/**
 * Compiles with the moby rules: exact, prefix (`foo**`) and suffix (`**foo`)
 * shortcuts, else a regexp.
 */
function compileMoby(raw: string, text: string): (path: string) => boolean {
  const { kind, regexp } = compileRegExp(raw, text, 'moby');
  if (kind === 'exact') {
    return (path) => path === text;
  }
  if (kind === 'prefix') {
    const prefix = text.slice(0, -2);
    return (path) => path.startsWith(prefix);
  }
  if (kind === 'suffix') {
    const suffix = text.slice(2);
    return (path) => path.endsWith(suffix) || (suffix.startsWith('/') && path === suffix.slice(1));
  }
  return (path) => regexp.test(path);
}

interface Translation {
  kind: 'exact' | 'prefix' | 'suffix' | 'regexp';
  regexp: RegExp;
  test: (path: string) => boolean;
}

/** Translates a pattern to a regexp, tracking which shortcut `moby` would take. */
function compileRegExp(raw: string, text: string, rules: DockerignoreRules): Translation {
  let source = '^';
  let kind: Translation['kind'] = 'exact';
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (char === '*' && text[i + 1] === '*') {
      const first = i === 0;
      i += text[i + 2] === '/' ? 2 : 1;
      const atEnd = i + 1 >= text.length;
      if (atEnd && kind === 'exact' && rules === 'moby') {
        kind = 'prefix';
      } else {
        source += atEnd ? ANY_TEXT : `(${ANY_TEXT}/)?`;
        kind = 'regexp';
      }
      if (first) {
        kind = 'suffix';
      }
    } else if (char === '*') {
      source += '[^/]*';
      kind = 'regexp';
    } else if (char === '?') {
      source += ONE_CHAR;
      kind = 'regexp';
    } else if (ESCAPED[rules].has(char)) {
      source += `\\${char}`;
    } else if (char === '\\') {
      source += i + 1 < text.length ? `\\${text[++i]}` : '\\\\';
      kind = 'regexp';
    } else {
      source += char;
      if (char === '[' || char === ']' || rules === 'docker-20.10') {
        kind = 'regexp';
      }
    }
  }
  const regexp = toRegExp(raw, `${source}$`);
  return { kind, regexp, test: (path) => regexp.test(path) };
}

function toRegExp(raw: string, source: string): RegExp {
  try {
    return new RegExp(source);
  } catch (cause) {
    throw new DockerignorePatternError(raw, 'it does not translate to a valid regular expression', {
      cause,
    });
  }
}
