/**
 * Chevrotain tokens of the instruction grammar. The lexer reads the logical
 * lines the scanner produced, joined by `\n`, in two modes: `line` for the
 * keyword and `arguments` for flags and the argument text. A third mode,
 * `json`, reads an argument that starts with `[` when the tree builder checks
 * for the exec form.
 */
import type { TokenType } from 'chevrotain';
import { createToken, Lexer } from '../chevrotain.js';

/**
 * Start characters of a pattern that starts with anything but `excluded`, as
 * chevrotain's first-character optimisation needs for complement sets: every
 * code below 256 and one code of each higher block it groups codes into.
 */
function startCharsExcept(excluded: string): number[] {
  const codes: number[] = [];
  for (let code = 0; code < 256; code++)
    if (!excluded.includes(String.fromCharCode(code))) codes.push(code);
  for (let code = 256; code < 65536; code += 255) codes.push(code);
  codes.push(65535);
  return codes;
}

/** Category of every instruction keyword token. */
export const Keyword: TokenType = createToken({ name: 'Keyword', pattern: Lexer.NA });

/** Category of every token of the `json` mode. */
export const JsonToken: TokenType = createToken({ name: 'JsonToken', pattern: Lexer.NA });

const WhiteSpace = createToken({
  name: 'WhiteSpace',
  pattern: /[ \t\v\f\r]+/,
  group: Lexer.SKIPPED,
});

/** The first word of a line when it is no known keyword. */
export const Name: TokenType = createToken({
  name: 'Name',
  pattern: /[^ \t\v\f\r\n]+/,
  start_chars_hint: startCharsExcept(' \t\v\f\r\n'),
  push_mode: 'arguments',
});

/** Category of the two tokens that open a JSON array. */
export const OpenBracket: TokenType = createToken({ name: 'OpenBracket', pattern: Lexer.NA });

/** End of a logical line: back to the `line` mode. Skipped, since keywords start lines. */
const Newline = createToken({
  name: 'Newline',
  pattern: /\n/,
  group: Lexer.SKIPPED,
  pop_mode: true,
});

const LineBreak = createToken({ name: 'LineBreak', pattern: /\n/, group: Lexer.SKIPPED });

/** A builder flag: `--name`, `--name=value`, with quotes and backslash escapes. */
/** The pattern of a builder flag, shared by the lexer and the heredoc check. */
export const FLAG_PATTERN: RegExp =
  /--(?:[^ \t\v\f\r\n"'\\]|\\[^\n]?|"(?:[^"\\\n]|\\[^\n]?)*"?|'(?:[^'\\\n]|\\[^\n]?)*'?)*/;

export const Flag: TokenType = createToken({
  name: 'Flag',
  pattern: FLAG_PATTERN,
  start_chars_hint: ['-'],
});

/** A bare `--`, which ends the flags. */
export const FlagsEnd: TokenType = createToken({
  name: 'FlagsEnd',
  pattern: /--/,
  longer_alt: Flag,
});

/**
 * The `[` that starts the argument text. The rest of the line is read in the
 * `json` mode, which replaces the `arguments` mode, so one pop at the end of
 * the line returns to the `line` mode.
 */
export const BodyBracket: TokenType = createToken({
  name: 'BodyBracket',
  pattern: /\[/,
  categories: [OpenBracket],
  pop_mode: true,
  push_mode: 'json',
});

/** Any other argument text, to the end of the line. */
export const Text: TokenType = createToken({
  name: 'Text',
  pattern: /[^\n]+/,
  start_chars_hint: startCharsExcept('\n'),
});

/** `[` in the json mode. */
export const LSquare: TokenType = createToken({
  name: 'LSquare',
  pattern: /\[/,
  categories: [JsonToken, OpenBracket],
});
/** `]` in the json mode. */
export const RSquare: TokenType = jsonToken('RSquare', /]/);
/** `{` in the json mode. */
export const LCurly: TokenType = jsonToken('LCurly', /{/);
/** `}` in the json mode. */
export const RCurly: TokenType = jsonToken('RCurly', /}/);
/** `,` in the json mode. */
export const Comma: TokenType = jsonToken('Comma', /,/);
/** `:` in the json mode. */
export const Colon: TokenType = jsonToken('Colon', /:/);
/**
 * A double-quoted string, closed or not. The pattern accepts any escape so it
 * never backtracks (a strict JSON pattern fails slowly on a long unterminated
 * string); the tree builder decodes each string and rejects the invalid ones.
 */
export const JsonString: TokenType = jsonToken('JsonString', /"(?:[^"\\\n]|\\[^\n]?)*"?/);
/** Any other run of characters in the json mode, which makes the array invalid. */
export const JsonBare: TokenType = createToken({
  name: 'JsonBare',
  pattern: /[^ \t\v\f\r\n[\]{},:"]+|"/,
  start_chars_hint: startCharsExcept(' \t\v\f\r\n[]{},:'),
  categories: [JsonToken],
});
/** A JSON number. */
export const JsonNumber: TokenType = jsonToken(
  'JsonNumber',
  /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/,
  JsonBare,
);
/** `true`, `false` or `null`. */
export const JsonLiteral: TokenType = jsonToken('JsonLiteral', /true|false|null/, JsonBare);

function jsonToken(name: string, pattern: RegExp, longerAlt?: TokenType): TokenType {
  const config = { name, pattern, categories: [JsonToken] };
  return createToken(longerAlt === undefined ? config : { ...config, longer_alt: longerAlt });
}

/** Creates the keyword token of one instruction name. */
export function createKeywordToken(name: string): TokenType {
  return createToken({
    name: `Keyword${name}`,
    pattern: new RegExp(escapeRegExp(name), 'i'),
    categories: [Keyword],
    longer_alt: Name,
    push_mode: 'arguments',
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Tokens of the `json` mode, in match order. */
const JSON_MODE: TokenType[] = [
  WhiteSpace,
  Newline,
  LSquare,
  RSquare,
  LCurly,
  RCurly,
  Comma,
  Colon,
  JsonString,
  JsonNumber,
  JsonLiteral,
  JsonBare,
];

/**
 * Creates the lexer of a vocabulary with the given keyword tokens and returns
 * it with every token type, which the parser needs.
 */
export function createVocabulary(keywords: readonly TokenType[]): {
  readonly tokens: TokenType[];
  readonly lexer: Lexer;
} {
  const modes = {
    line: [WhiteSpace, LineBreak, ...keywords, Name],
    arguments: [WhiteSpace, Newline, FlagsEnd, Flag, BodyBracket, Text],
    json: JSON_MODE,
  };
  const lexer = new Lexer(
    { modes, defaultMode: 'line' },
    { positionTracking: 'onlyOffset', ensureOptimizations: true },
  );
  const tokens = [
    Keyword,
    JsonToken,
    OpenBracket,
    ...modes.line,
    ...modes.arguments.slice(1),
    ...JSON_MODE.slice(2),
  ];
  return { tokens, lexer };
}
