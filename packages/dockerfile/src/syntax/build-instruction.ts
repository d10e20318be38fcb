/**
 * The tree builder: turns the CST of one logical line into an instruction
 * node, reading the arguments by the instruction's rule and mapping every
 * offset of the joined line back to the source.
 */
import type { IToken } from 'chevrotain';
import { suggestName } from '../suggest.js';
import type { InstructionCstNode } from './cst-types.js';
import { createDiagnostic } from './diagnostic.js';
import { bodyStart, type ExecResult, firstToken, type SyntaxEngine } from './engine.js';
import { readFlag } from './flag-text.js';
import type { InstructionSpec } from './instruction-table.js';
import { mapRange, type Segment } from './lines.js';
import {
  type ArgumentForm,
  type ArgumentNode,
  type Diagnostic,
  type FlagNode,
  type InstructionNode,
  NONE,
  type PairNode,
  type Range,
} from './nodes.js';
import { readArguments } from './read-arguments.js';
import type { ScannedInstruction } from './scanner.js';
import { trimEnd, trimStart } from './words.js';

/** Arguments read from one instruction. @internal */
export interface ReadResult {
  form: ArgumentForm;
  arguments: readonly ArgumentNode[];
  pairs: readonly PairNode[];
  child: InstructionNode | undefined;
}

/** State shared while building the instructions of one file. @internal */
export class InstructionBuilder {
  readonly engine: SyntaxEngine;
  readonly source: string;
  readonly escape: string;
  readonly diagnostics: Diagnostic[];
  /** The CST of the instruction being built, whose `[` and JSON tokens are already lexed. */
  private execCst: InstructionCstNode | undefined;
  private execShift = 0;

  constructor(
    engine: SyntaxEngine,
    source: string,
    escapeCharacter: string,
    diagnostics: Diagnostic[],
  ) {
    this.engine = engine;
    this.source = source;
    this.escape = escapeCharacter;
    this.diagnostics = diagnostics;
  }

  /**
   * Builds the instruction whose CST token offsets plus `shift` are offsets
   * in `scanned.text`; `nested` is true for the instruction inside ONBUILD.
   */
  build(
    cst: InstructionCstNode,
    scanned: ScannedInstruction,
    shift: number,
    nested = false,
  ): InstructionNode {
    const segments = scanned.segments;
    const keywordToken = firstToken(cst);
    const keywordStart = keywordToken.startOffset + shift;
    const keywordEnd = keywordStart + keywordToken.image.length;
    const keywordRange = this.range(segments, keywordStart, keywordEnd);
    const name = this.engine.keywordName(keywordToken);
    const body = bodyStart(cst);

    const flags = this.flags(cst, segments, shift, body);
    const flagsEndToken = cst.children.FlagsEnd?.[0];
    const flagsEndStart = flagsEndToken === undefined ? -1 : flagsEndToken.startOffset + shift;

    const textEnd = scanned.text.length;
    const start = trimStart(scanned.text, body === undefined ? textEnd : body + shift, textEnd);
    const end = trimEnd(scanned.text, start, textEnd);
    this.execCst = cst;
    this.execShift = shift;
    const read = this.read(this.engine.specs.get(name), scanned, start, end, keywordRange, name);
    this.execCst = undefined;

    const range = nested ? { start: keywordRange.start, end: scanned.range.end } : scanned.range;
    return {
      kind: 'instruction',
      name,
      keyword: { kind: 'keyword', range: keywordRange, text: this.slice(keywordRange) },
      flags,
      flagsEnd:
        flagsEndStart === -1 ? undefined : this.range(segments, flagsEndStart, flagsEndStart + 2),
      form: read.form,
      arguments: read.arguments,
      pairs: read.pairs,
      child: read.child,
      heredocs: nested ? [] : scanned.heredocs,
      comments: nested ? [] : scanned.comments,
      logicalText: scanned.text.slice(keywordStart),
      range,
      text: this.slice(range),
    };
  }

  /** Builds the flag nodes before the argument text; later Flag tokens are arguments. */
  private flags(
    cst: InstructionCstNode,
    segments: readonly Segment[],
    shift: number,
    body: number | undefined,
  ): FlagNode[] {
    const flags: FlagNode[] = [];
    for (const token of cst.children.Flag ?? []) {
      if (body === undefined || token.startOffset < body) {
        flags.push(this.flag(token, segments, shift));
      }
    }
    return flags;
  }

  private slice(range: Range): string {
    return this.source.slice(range.start.offset, range.end.offset);
  }

  private read(
    spec: InstructionSpec | undefined,
    scanned: ScannedInstruction,
    start: number,
    end: number,
    keywordRange: Range,
    name: string,
  ): ReadResult {
    if (spec !== undefined) return readArguments(this, spec, scanned, start, end);
    this.error('unknown-instruction', unknownMessage(name, this.engine), keywordRange);
    return { form: 'none', arguments: NONE, pairs: NONE, child: undefined };
  }

  private flag(token: IToken, segments: readonly Segment[], shift: number): FlagNode {
    const start = token.startOffset + shift;
    const range = this.range(segments, start, start + token.image.length);
    const parts = readFlag(token.image);
    return {
      kind: 'flag',
      name: parts.name,
      value: parts.value,
      unquoted: parts.unquoted,
      range,
      text: this.source.slice(range.start.offset, range.end.offset),
    };
  }

  /**
   * Reads `scanned.text[start, end)` as an exec form, from the tokens the
   * batch lexer already produced when they start there.
   */
  exec(scanned: ScannedInstruction, start: number, end: number): ExecResult {
    const tokens = this.execCst === undefined ? undefined : execTokens(this.execCst);
    const first = tokens?.[0];
    if (
      tokens !== undefined &&
      first !== undefined &&
      first.startOffset + this.execShift === start
    ) {
      return this.engine.parseExecTokens(tokens, this.execShift);
    }
    return this.engine.parseExec(scanned.text, start, end);
  }

  /** Creates an argument node for `[start, end)` of the joined text. */
  argument(segments: readonly Segment[], start: number, end: number, value: string): ArgumentNode {
    const range = this.range(segments, start, end);
    return {
      kind: 'argument',
      value,
      range,
      text: this.source.slice(range.start.offset, range.end.offset),
    };
  }

  range(segments: readonly Segment[], start: number, end: number): Range {
    return mapRange(segments, start, end);
  }

  /** Records an error; the message gets the one-based line and column. */
  error(rule: string, message: string, range: Range): void {
    this.diagnostics.push(createDiagnostic('error', rule, message, range));
  }
}

/** Returns the `[` token of an instruction's argument text and the JSON tokens after it. */
function execTokens(cst: InstructionCstNode): IToken[] | undefined {
  const bracket = cst.children.BodyBracket?.[0];
  if (bracket === undefined) return undefined;
  const rest = cst.children.JsonToken ?? [];
  return [bracket, ...rest];
}

function unknownMessage(name: string, engine: SyntaxEngine): string {
  const suggestion = suggestName(name, engine.specs.keys());
  const hint = suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`;
  return `unknown instruction ${name}${hint}: use one of the Dockerfile instructions such as FROM, RUN or COPY`;
}
