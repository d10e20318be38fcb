/**
 * A syntax engine: one vocabulary of instructions with its lexer and its
 * single grammar instance, reused for every parse.
 */
import type { CstNode, IToken, Lexer, TokenType } from 'chevrotain';
import { isInlineSpace, skipSpace } from './continuation.js';
import type {
  DockerfileCstNode,
  ExecFormCstNode,
  InstructionCstNode,
  JsonArrayCstNode,
} from './cst-types.js';
import {
  decodeString,
  type ExecElement,
  type ExecResult,
  readStringArray,
  stringsDecode,
} from './exec-form.js';
import { InstructionGrammar } from './grammar.js';
import {
  findHeredocMarkers,
  type HeredocMarker,
  type HeredocMarkerError,
} from './heredoc-marker.js';
import type { InstructionSpec } from './instruction-table.js';
import { lexStringArray, readSimpleLine } from './simple-line.js';
import { createKeywordToken, createVocabulary, FLAG_PATTERN, RSquare } from './tokens.js';

export type { ExecElement, ExecResult } from './exec-form.js';

/** @internal */
export class SyntaxEngine {
  readonly specs: ReadonlyMap<string, InstructionSpec>;
  /** Keyword tokens, longest name first; the lexer matches them in this order. */
  private readonly keywords: TokenType[];
  /**
   * The lexer and grammar, made on first use: chevrotain's self-analysis costs
   * tens of milliseconds, and a Dockerfile whose lines all take the fast path
   * never needs it. That cost counts at every `gantry build`.
   */
  private machinery: { readonly lexer: Lexer; readonly grammar: InstructionGrammar } | undefined;
  /** Instruction name of each keyword token whose name is upper-case ASCII. */
  private readonly keywordNames = new Map<TokenType, string>();
  /** Keyword token of each instruction name, for the fast path of simple lines. */
  private readonly keywordTokens = new Map<string, TokenType>();
  /**
   * False when a name contains white space, which only the lexer's keyword
   * patterns can match, so every line goes to the grammar.
   */
  private readonly simpleLines: boolean;

  constructor(instructions: readonly InstructionSpec[]) {
    this.specs = new Map(instructions.map((spec) => [spec.name, spec]));
    this.keywords = [...this.specs.keys()]
      .sort((left, right) => right.length - left.length)
      .map(createKeywordToken);
    for (const token of this.keywords) {
      const name = token.name.slice('Keyword'.length);
      if (/^[A-Z0-9_-]+$/.test(name)) this.keywordNames.set(token, name);
      this.keywordTokens.set(name, token);
    }
    this.simpleLines = [...this.specs.keys()].every((name) => !/[\s]/.test(name));
  }

  /** Whether the lexer and grammar were made: a parse needed more than the fast path. */
  get machineryBuilt(): boolean {
    return this.machinery !== undefined;
  }

  /** The chevrotain lexer of this vocabulary. */
  get lexer(): Lexer {
    return this.build().lexer;
  }

  /** The chevrotain grammar of this vocabulary. */
  get grammar(): InstructionGrammar {
    return this.build().grammar;
  }

  private build(): { readonly lexer: Lexer; readonly grammar: InstructionGrammar } {
    if (this.machinery === undefined) {
      const { tokens, lexer } = createVocabulary(this.keywords);
      this.machinery = { lexer, grammar: new InstructionGrammar(tokens) };
    }
    return this.machinery;
  }

  /**
   * Returns the upper-case name of an instruction's first token. A keyword
   * token of an upper-case ASCII name gives that name without a new string,
   * because the case-insensitive pattern only matches ASCII letters of it.
   */
  keywordName(token: IToken): string {
    return this.keywordNames.get(token.tokenType) ?? token.image.toUpperCase();
  }

  /** Parses joined logical lines; returns one `instruction` CST per line. */
  parseLines(text: string): InstructionCstNode[] {
    this.grammar.input = this.lexer.tokenize(text).tokens;
    const cst = this.grammar.dockerfile();
    return (cst as DockerfileCstNode).children.instruction ?? [];
  }

  /**
   * Reads a logical line of the common shape without chevrotain, or returns
   * undefined when the line needs the grammar (see {@link readSimpleLine}).
   */
  parseSimpleLine(text: string): InstructionCstNode | undefined {
    return this.simpleLines ? readSimpleLine(text, this.keywordTokens) : undefined;
  }

  /** Parses one instruction written inside another (ONBUILD). */
  parseInstruction(text: string): InstructionCstNode | undefined {
    const simple = this.parseSimpleLine(text);
    if (simple !== undefined) return simple;
    this.grammar.input = this.lexer.tokenize(text).tokens;
    const cst = this.grammar.instruction();
    return this.grammar.errors.length === 0 ? (cst as InstructionCstNode) : undefined;
  }

  /** Reads `text[start, end)` as an exec-form JSON array. */
  parseExec(text: string, start: number, end: number): ExecResult {
    if (text.charCodeAt(start) !== 91) return { kind: 'shell' };
    const array = text.slice(start, end);
    // The first token is a BodyBracket, not the json mode's LSquare. The execForm
    // rule accepts either, since both belong to the OpenBracket category.
    const tokens = lexStringArray(array, 0) ?? this.lexer.tokenize(array, 'json').tokens;
    return this.parseExecTokens(tokens, start);
  }

  /**
   * Reads tokens of the `json` mode, from the opening `[` on, as an exec-form
   * JSON array. Adding `shift` to a token offset gives an offset of the instruction text.
   */
  parseExecTokens(tokens: IToken[], shift: number): ExecResult {
    const strings = readStringArray(tokens, shift);
    if (strings !== undefined) return strings;
    // Without any `]` no array can close. The grammar would reject it too, but
    // only after throwing a recognition exception, which is slow.
    if (!tokens.some(isRSquare)) return SHELL;
    this.grammar.input = tokens;
    const cst = this.grammar.execForm();
    if (this.grammar.errors.length > 0) return { kind: 'shell' };
    const array = (cst as ExecFormCstNode).children.jsonArray[0] as JsonArrayCstNode;
    const arrayEnd = (array.children.RSquare[0] as IToken).startOffset;
    if (!stringsDecode(tokens, arrayEnd)) return { kind: 'shell' };
    return readElements(array, shift);
  }

  /** Finds heredoc markers of a logical line whose instruction may open heredocs. */
  readonly findHeredocs = (line: string, errors: HeredocMarkerError[]): HeredocMarker[] => {
    if (!line.includes('<<') || !this.opensHeredocs(line)) return [];
    return findHeredocMarkers(line, errors);
  };

  /**
   * Checks whether the instruction on a line may open heredocs: RUN, COPY and
   * ADD (or ONBUILD wrapping one) not in exec form. It reads the keyword and
   * skips flags with the lexer's own flag pattern instead of a full parse,
   * because the scanner calls it for every line that contains `<<`.
   */
  private opensHeredocs(line: string): boolean {
    const keywordStart = skipSpace(line, 0);
    const keywordEnd = skipWord(line, keywordStart);
    const spec = this.specs.get(line.slice(keywordStart, keywordEnd).toUpperCase());
    if (spec === undefined) return false;
    const body = skipFlags(line, keywordEnd);
    if (spec.wrapsHeredocs === true) return this.opensHeredocs(line.slice(body));
    if (spec.heredocs !== true) return false;
    return this.parseExec(line, body, line.length).kind === 'shell';
  }
}

const SHELL: ExecResult = Object.freeze({ kind: 'shell' });

function isRSquare(token: IToken): boolean {
  return token.tokenType === RSquare;
}

const FLAG_AT = new RegExp(FLAG_PATTERN.source, 'y');

/** Offset after the flags (and a `--` that ends them) that start at `from`. */
function skipFlags(line: string, from: number): number {
  let index = skipSpace(line, from);
  while (line.startsWith('--', index)) {
    FLAG_AT.lastIndex = index;
    const match = FLAG_AT.exec(line) as RegExpExecArray;
    index = skipSpace(line, index + match[0].length);
    if (match[0] === '--') break;
  }
  return index;
}

function skipWord(line: string, from: number): number {
  let index = from;
  while (index < line.length && !isInlineSpace(line.charCodeAt(index))) index++;
  return index;
}

function readElements(array: JsonArrayCstNode, offset: number): ExecResult {
  const elements: ExecElement[] = [];
  for (const value of array.children.jsonValue ?? []) {
    const token = value.children.JsonString?.[0];
    if (token === undefined) {
      const [start, end] = cstSpan(value);
      return { kind: 'non-string', start: start + offset, end: end + offset };
    }
    const start = token.startOffset + offset;
    elements.push({
      value: decodeString(token.image) ?? '',
      start,
      end: start + token.image.length,
    });
  }
  return { kind: 'exec', elements };
}

/** Returns the keyword or name token that starts an instruction CST. */
export function firstToken(cst: InstructionCstNode): IToken {
  const children = cst.children;
  return (children.Keyword ?? children.Name ?? [])[0] as IToken;
}

/**
 * Offset of the first argument token of an instruction CST, if any: the first
 * Text or BodyBracket token, or the second Flag or FlagsEnd token, which the
 * grammar only reads as argument text.
 */
export function bodyStart(cst: InstructionCstNode): number | undefined {
  const children = cst.children;
  let start = firstOffset(children.Text, 0);
  start = Math.min(start, firstOffset(children.BodyBracket, 0));
  const flags = children.Flag;
  const ends = children.FlagsEnd;
  if (flags !== undefined && flags.length > 0) start = Math.min(start, afterFlagsEnd(flags, ends));
  if (ends !== undefined && ends.length > 1)
    start = Math.min(start, (ends[1] as IToken).startOffset);
  return start === Number.POSITIVE_INFINITY ? undefined : start;
}

function firstOffset(tokens: IToken[] | undefined, index: number): number {
  const token = tokens?.[index];
  return token === undefined ? Number.POSITIVE_INFINITY : token.startOffset;
}

/** Offset of the first Flag token after the `--` that ends the flags. */
function afterFlagsEnd(flags: IToken[], ends: IToken[] | undefined): number {
  const end = ends?.[0];
  if (end === undefined) return Number.POSITIVE_INFINITY;
  const after = flags.find((flag) => flag.startOffset > end.startOffset);
  return after === undefined ? Number.POSITIVE_INFINITY : after.startOffset;
}

/** Start and end offsets of the tokens under a CST node. */
export function cstSpan(node: CstNode): [number, number] {
  let start = Number.POSITIVE_INFINITY;
  let end = 0;
  for (const children of Object.values(node.children)) {
    for (const child of children) {
      const [childStart, childEnd] =
        'image' in child
          ? [child.startOffset, child.startOffset + child.image.length]
          : cstSpan(child);
      if (childStart < start) start = childStart;
      if (childEnd > end) end = childEnd;
    }
  }
  return [start, end];
}
