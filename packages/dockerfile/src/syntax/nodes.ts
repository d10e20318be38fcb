/**
 * Node types of the positioned syntax tree: the first layer of the grammar,
 * which keeps the text as written and a source range on every node.
 */

/** A place in the source: zero-based line, character (UTF-16 code unit) and offset. */
export interface Position {
  readonly line: number;
  readonly character: number;
  readonly offset: number;
}

/** A source range; `end` is exclusive. */
export interface Range {
  readonly start: Position;
  readonly end: Position;
}

/**
 * Fields every node shares. `text` is the source text of the node as written
 * (continuations included); the printer writes `text`, so assigning a new
 * string to it edits the file.
 */
export interface NodeBase {
  readonly range: Range;
  text: string;
}

/** A parser directive at the top of the file, such as `# escape=\``. */
export interface DirectiveNode extends NodeBase {
  readonly kind: 'directive';
  /** Directive name in lower case: `syntax`, `escape` or `check`. */
  readonly name: string;
  readonly value: string;
}

/** A comment line, at the top level or inside a continued instruction. */
export interface CommentNode extends NodeBase {
  readonly kind: 'comment';
  /** The comment text after `#`, trimmed. */
  readonly value: string;
}

/** The instruction keyword as written (`run`, `FROM`). */
export interface KeywordNode extends NodeBase {
  readonly kind: 'keyword';
}

/** A builder flag such as `--from=build`, kept as written. */
export interface FlagNode extends NodeBase {
  readonly kind: 'flag';
  /** Flag name without the leading `--`. */
  readonly name: string;
  /** The value after `=` with quotes removed, or undefined for `--name`. */
  readonly value: string | undefined;
  /** The whole flag with quotes removed, as BuildKit's dump prints it. */
  readonly unquoted: string;
}

/**
 * One argument. `value` is the text BuildKit's parser hands on: the decoded
 * string of an exec-form element, the joined logical text of a shell-form
 * command, or one word of a word list.
 */
export interface ArgumentNode extends NodeBase {
  readonly kind: 'argument';
  readonly value: string;
}

/** A `key=value` or legacy `key value` pair of ENV or LABEL. */
export interface PairNode extends NodeBase {
  readonly kind: 'pair';
  readonly key: ArgumentNode;
  readonly value: ArgumentNode;
  /** `=` for `key=value`, empty for the legacy `key value` form. */
  readonly separator: '=' | '';
}

/** A here-document attached to RUN, COPY or ADD. */
export interface HeredocNode extends NodeBase {
  readonly kind: 'heredoc';
  /** Delimiter word with quotes removed. */
  readonly name: string;
  /** File descriptor before `<<` (`3<<EOF`), 0 when absent. */
  readonly fileDescriptor: number;
  /**
   * True for `<<-`: the terminator line may start with tabs, and Docker removes
   * leading tabs from each body line. `content` still has them as written.
   */
  readonly chomp: boolean;
  /** False when the delimiter was quoted, which turns variable expansion off. */
  readonly expand: boolean;
  /** Body lines as written, each with its line ending, without the terminator. */
  readonly content: string;
  /** Range of the `<<EOF` marker inside the instruction line. */
  readonly marker: Range;
  /** True when the file ended before the terminator line. */
  readonly terminated: boolean;
}

/** Form in which the arguments of an instruction were written. */
export type ArgumentForm = 'exec' | 'shell' | 'words' | 'pairs' | 'none';

/** One instruction with its keyword, flags, arguments and heredocs. */
export interface InstructionNode extends NodeBase {
  readonly kind: 'instruction';
  /** Instruction name in upper case (`COPY`), also for unknown instructions. */
  readonly name: string;
  readonly keyword: KeywordNode;
  readonly flags: FlagNode[];
  /** Range of a `--` that ends the flags, if written. */
  readonly flagsEnd: Range | undefined;
  readonly form: ArgumentForm;
  readonly arguments: readonly ArgumentNode[];
  /** Pairs of ENV and LABEL; empty for other instructions. */
  readonly pairs: readonly PairNode[];
  /** The instruction ONBUILD wraps, if this is ONBUILD. */
  readonly child: InstructionNode | undefined;
  readonly heredocs: readonly HeredocNode[];
  /** Comment lines inside the continued instruction, which BuildKit drops. */
  readonly comments: readonly CommentNode[];
  /** The instruction on one line as BuildKit joins it, continuations removed. */
  readonly logicalText: string;
}

/**
 * The empty list that nodes share when they have no arguments, pairs,
 * heredocs or comments; it is frozen, so it cannot be changed by mistake.
 * @internal
 */
export const NONE: readonly never[] = Object.freeze([]);

/** A node that sits at the top level of the file. */
export type TopLevelNode = DirectiveNode | CommentNode | InstructionNode;

/** Any node of the syntax tree. */
export type SyntaxNode =
  | TopLevelNode
  | KeywordNode
  | FlagNode
  | ArgumentNode
  | PairNode
  | HeredocNode;

/** Severity of a diagnostic. */
export type Severity = 'error' | 'warning';

/** A located problem: a syntax error or a warning with a rule id. */
export interface Diagnostic {
  readonly severity: Severity;
  /** Stable id of the rule, such as `unknown-instruction` or `NoEmptyContinuation`. */
  readonly rule: string;
  /** Plain message that names the value and the fix, with line and column. */
  readonly message: string;
  readonly range: Range;
}

/** The positioned syntax tree of one Dockerfile. */
export interface SyntaxTree {
  readonly kind: 'dockerfile';
  /** The input, as given. */
  readonly source: string;
  /** Escape character chosen by the `escape` directive. */
  readonly escape: '\\' | '`';
  readonly directives: DirectiveNode[];
  readonly instructions: InstructionNode[];
  /** All top-level nodes in source order. */
  readonly nodes: TopLevelNode[];
  readonly diagnostics: Diagnostic[];
}
