/**
 * Typed instructions: the second layer of the grammar. Each object keeps its
 * syntax node, so ranges and the lossless printer stay one step away.
 */
import type { FlagError } from '../flags/errors.js';
import type { FlagValues } from '../flags/parse-flag.js';
import type { FlagNode, HeredocNode, InstructionNode, Range } from '../syntax/nodes.js';

/** Fields of an {@link InstructionFlag} whatever its status. */
export interface FlagFields<Name extends string = string> {
  /** The flag's name without `--`, as written. */
  readonly name: Name;
  /** The value as written, quotes removed; undefined for `--name` alone. */
  readonly text: string | undefined;
  readonly syntax: FlagNode;
}

/** A flag whose value was read into `value`. */
export interface ParsedFlag<Name extends string = string, Value = unknown>
  extends FlagFields<Name> {
  readonly status: 'parsed';
  readonly value: Value;
}

/** A flag whose text refers to variables, so it can only be typed after expansion. */
export interface DeferredFlag<Name extends string = string> extends FlagFields<Name> {
  readonly status: 'deferred';
  readonly value: undefined;
}

/** A flag whose value could not be read. Its `value` is the error. */
export interface InvalidFlag<Name extends string = string, Problem = unknown>
  extends FlagFields<Name> {
  readonly status: 'invalid';
  readonly value: Problem;
}

/** A flag that the instruction does not take. */
export interface UnknownFlag<Name extends string = string> extends FlagFields<Name> {
  readonly status: 'unknown';
  readonly value: undefined;
}

/**
 * A flag with its typed value, a union discriminated by `status`. Narrow on
 * `status === 'parsed'` to read `value` as `Value`. An invalid flag's `value`
 * is the error: a `FlagError` for a built-in flag, or what an extension's
 * parser threw.
 */
export type InstructionFlag<Name extends string = string, Value = unknown, Problem = unknown> =
  | ParsedFlag<Name, Value>
  | DeferredFlag<Name>
  | InvalidFlag<Name, Problem>
  | UnknownFlag<Name>;

/**
 * A built-in flag with the value type of its name, as in {@link FlagValues}. A
 * union of names gives a union discriminated by `name` and `status`.
 *
 * @example
 * ```ts
 * const [mount] = run.mounts; // KnownFlag<'mount'>
 * if (mount?.status === 'parsed') mount.value.type; // MountType, no cast
 * ```
 */
export type KnownFlag<Name extends keyof FlagValues = keyof FlagValues> = Name extends unknown
  ? InstructionFlag<Name, FlagValues[Name], FlagError>
  : never;

/** Fields every typed instruction has. */
export interface InstructionBase {
  /** The shape of the object, to narrow the {@link TypedInstruction} union. */
  readonly kind: string;
  /** Instruction name in upper case. */
  readonly name: string;
  readonly range: Range;
  readonly flags: readonly InstructionFlag[];
  readonly syntax: InstructionNode;
}

/** A command in exec form (JSON array) or shell form (one string). */
export type Command =
  | { readonly form: 'exec'; readonly arguments: readonly string[] }
  | { readonly form: 'shell'; readonly script: string };

/** `FROM [--platform=...] image [AS name]`. */
export interface FromInstruction extends InstructionBase {
  readonly kind: 'from';
  readonly name: 'FROM';
  /** Image reference as written, before variable expansion. */
  readonly image: string;
  readonly platform: KnownFlag<'platform'> | undefined;
  /** Stage name after `AS`, lower-cased as BuildKit compares it. */
  readonly stageName: string | undefined;
}

/** RUN with its command, heredocs and RUN flags. */
export interface RunInstruction extends InstructionBase {
  readonly kind: 'run';
  readonly name: 'RUN';
  readonly command: Command;
  readonly heredocs: readonly HeredocNode[];
  readonly mounts: readonly KnownFlag<'mount'>[];
  readonly network: KnownFlag<'network'> | undefined;
  readonly security: KnownFlag<'security'> | undefined;
}

/** CMD, ENTRYPOINT or SHELL: a command and nothing else. */
export interface CommandInstruction extends InstructionBase {
  readonly kind: 'command';
  readonly name: 'CMD' | 'ENTRYPOINT' | 'SHELL';
  readonly command: Command;
}

/** COPY or ADD: sources, destination, heredocs and the copy flags. */
export interface CopyInstruction extends InstructionBase {
  readonly kind: 'copy';
  readonly name: 'COPY' | 'ADD';
  /**
   * Every word before the destination, as written. A heredoc marker such as
   * `<<EOF` is one of them, where BuildKit moves it out of `SourcePaths`
   * (`frontend/dockerfile/instructions/parse.go`). Match a marker to
   * `heredocs` by name to tell file contents from paths.
   */
  readonly sources: readonly string[];
  readonly destination: string;
  /** The heredocs that the markers in `sources` open, in order. */
  readonly heredocs: readonly HeredocNode[];
  readonly from: KnownFlag<'from'> | undefined;
  readonly chown: KnownFlag<'chown'> | undefined;
  readonly chmod: KnownFlag<'chmod'> | undefined;
  readonly link: boolean;
  readonly parents: boolean;
  readonly exclude: readonly KnownFlag<'exclude'>[];
  readonly checksum: KnownFlag<'checksum'> | undefined;
  readonly keepGitDir: KnownFlag<'keep-git-dir'> | undefined;
}

/** One key and value of ENV or LABEL, as written (quotes kept). */
export interface KeyValue {
  readonly key: string;
  readonly value: string;
}

/** ENV or LABEL. */
export interface KeyValueInstruction extends InstructionBase {
  readonly kind: 'key-value';
  readonly name: 'ENV' | 'LABEL';
  readonly pairs: readonly KeyValue[];
}

/** One ARG name with its default, if any. */
export interface ArgDefinition {
  readonly key: string;
  readonly defaultValue: string | undefined;
}

/** ARG with one or more names. */
export interface ArgInstruction extends InstructionBase {
  readonly kind: 'arg';
  readonly name: 'ARG';
  readonly args: readonly ArgDefinition[];
}

/** EXPOSE or VOLUME: a list of words. */
export interface ListInstruction extends InstructionBase {
  readonly kind: 'list';
  readonly name: 'EXPOSE' | 'VOLUME';
  readonly values: readonly string[];
}

/** USER, WORKDIR, STOPSIGNAL or MAINTAINER: one value. */
export interface ValueInstruction extends InstructionBase {
  readonly kind: 'value';
  readonly name: 'USER' | 'WORKDIR' | 'STOPSIGNAL' | 'MAINTAINER';
  readonly value: string;
}

/** ONBUILD and the instruction it registers as a trigger. */
export interface OnbuildInstruction extends InstructionBase {
  readonly kind: 'onbuild';
  readonly name: 'ONBUILD';
  readonly trigger: TypedInstruction | undefined;
}

/** HEALTHCHECK NONE, or HEALTHCHECK with options and a command. */
export interface HealthcheckInstruction extends InstructionBase {
  readonly kind: 'healthcheck';
  readonly name: 'HEALTHCHECK';
  readonly test: { readonly kind: 'none' } | { readonly kind: 'cmd'; readonly command: Command };
  readonly interval: KnownFlag<'interval'> | undefined;
  readonly timeout: KnownFlag<'timeout'> | undefined;
  readonly startPeriod: KnownFlag<'start-period'> | undefined;
  readonly startInterval: KnownFlag<'start-interval'> | undefined;
  readonly retries: KnownFlag<'retries'> | undefined;
}

/** An instruction added through the extension API, or an unknown one. */
export interface OtherInstruction extends InstructionBase {
  readonly kind: 'other';
  readonly arguments: readonly string[];
  /** The value the extension's `type` function returned, if it has one. */
  readonly data: unknown;
}

/** Any typed instruction. */
export type TypedInstruction =
  | FromInstruction
  | RunInstruction
  | CommandInstruction
  | CopyInstruction
  | KeyValueInstruction
  | ArgInstruction
  | ListInstruction
  | ValueInstruction
  | OnbuildInstruction
  | HealthcheckInstruction
  | OtherInstruction;
