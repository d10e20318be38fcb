/**
 * The chevrotain grammar of Dockerfile instructions: the shape of a logical
 * line (keyword, flags, arguments) and the JSON array of the exec form. The
 * grammar only recognises; the tree builder turns its CST into nodes.
 */
import type { TokenType } from 'chevrotain';
import { CstParser } from '../chevrotain.js';
import {
  BodyBracket,
  Colon,
  Comma,
  Flag,
  FlagsEnd,
  JsonLiteral,
  JsonNumber,
  JsonString,
  JsonToken,
  Keyword,
  LCurly,
  Name,
  OpenBracket,
  RCurly,
  RSquare,
  Text,
} from './tokens.js';

/**
 * The instruction grammar. Build one instance per vocabulary and reuse it:
 * chevrotain analyses the grammar once in the constructor.
 */
export class InstructionGrammar extends CstParser {
  constructor(tokens: TokenType[]) {
    super(tokens, { maxLookahead: 1 });
    this.performSelfAnalysis();
  }

  /** Logical lines; each starts with its keyword, so no separator token is needed. */
  readonly dockerfile = this.RULE('dockerfile', () => {
    this.MANY(() => this.SUBRULE(this.instruction));
  });

  /**
   * Keyword, flags, an optional `--` and the argument text of one instruction:
   * text to the end of the line, or a `[` and the JSON tokens after it. After
   * `--` a word that looks like a flag is argument text.
   */
  readonly instruction = this.RULE('instruction', () => {
    this.OR([{ ALT: () => this.CONSUME(Keyword) }, { ALT: () => this.CONSUME(Name) }]);
    this.MANY(() => this.CONSUME(Flag));
    this.OPTION(() => this.CONSUME(FlagsEnd));
    this.MANY2(() => {
      this.OR2([
        { ALT: () => this.CONSUME(Text) },
        {
          ALT: () => {
            this.CONSUME(BodyBracket);
            this.MANY3(() => this.CONSUME(JsonToken));
          },
        },
        { ALT: () => this.CONSUME2(Flag) },
        { ALT: () => this.CONSUME2(FlagsEnd) },
      ]);
    });
  });

  /**
   * The exec form: a JSON array followed by anything, which BuildKit's JSON
   * decoder ignores.
   */
  readonly execForm = this.RULE('execForm', () => {
    this.SUBRULE(this.jsonArray);
    this.MANY(() => this.CONSUME(JsonToken));
  });

  /** A JSON array of any values. */
  readonly jsonArray = this.RULE('jsonArray', () => {
    this.CONSUME(OpenBracket);
    this.OPTION(() => {
      this.SUBRULE(this.jsonValue);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.jsonValue);
      });
    });
    this.CONSUME(RSquare);
  });

  /** A JSON object, which can only appear as a (rejected) array element. */
  readonly jsonObject = this.RULE('jsonObject', () => {
    this.CONSUME(LCurly);
    this.MANY_SEP({
      SEP: Comma,
      DEF: () => {
        this.CONSUME(JsonString);
        this.CONSUME(Colon);
        this.SUBRULE(this.jsonValue);
      },
    });
    this.CONSUME(RCurly);
  });

  /** Any JSON value. */
  readonly jsonValue = this.RULE('jsonValue', () => {
    this.OR([
      { ALT: () => this.CONSUME(JsonString) },
      { ALT: () => this.CONSUME(JsonNumber) },
      { ALT: () => this.CONSUME(JsonLiteral) },
      { ALT: () => this.SUBRULE(this.jsonArray) },
      { ALT: () => this.SUBRULE(this.jsonObject) },
    ]);
  });
}
