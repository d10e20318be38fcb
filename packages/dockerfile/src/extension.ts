/**
 * The extension API: another project adds instructions or flags and gets a
 * parser that reads them. Each parser built here has its own lexer and
 * grammar instance, built once and reused.
 */
import { checkFlags, checkInstructions } from './extension-checks.js';
import type { InstructionTyper } from './instructions/build-typed.js';
import type { FlagValueParser } from './instructions/typed-flags.js';
import { type Dockerfile, parse, parseStrict } from './parse.js';
import { SyntaxEngine } from './syntax/engine.js';
import { BUILTIN_INSTRUCTIONS, type InstructionSpec } from './syntax/instruction-table.js';
import type { SyntaxTree } from './syntax/nodes.js';
import { parseSyntax } from './syntax/parse-syntax.js';

/** An instruction to add: its grammar facts and, optionally, typed data. */
export interface InstructionExtension extends InstructionSpec {
  /** Builds the `data` of the typed instruction from its syntax node. */
  readonly type?: InstructionTyper;
}

/** A flag to add to an instruction (built-in or added). */
export interface FlagExtension {
  /** Instruction name in upper case, such as `COPY`. */
  readonly instruction: string;
  /** Flag name without `--`. */
  readonly name: string;
  /** Parses the value; throw an Error to report an invalid value. */
  readonly parse?: FlagValueParser;
}

/** Instructions and flags that {@link createDockerfileParser} adds to the built-in grammar. */
export interface DockerfileExtensions {
  readonly instructions?: readonly InstructionExtension[];
  readonly flags?: readonly FlagExtension[];
}

/** A parser with extensions; the same functions as the package's own. */
export interface DockerfileParser {
  parse(source: string): Dockerfile;
  parseStrict(source: string): Dockerfile;
  parseSyntax(source: string): SyntaxTree;
  /** Names of every instruction this parser reads, in upper case. */
  readonly instructionNames: readonly string[];
}

/**
 * Creates a parser that also reads the given instructions and flags.
 *
 * @throws {DockerfileExtensionError} for an invalid, built-in or repeated
 * instruction or flag name, a flag on an instruction the parser does not
 * read, or an unknown argument rule.
 *
 * @example
 * ```ts
 * const parser = createDockerfileParser({
 *   instructions: [{ name: "TEST", arguments: "exec-or-shell" }],
 *   flags: [{ instruction: "COPY", name: "sbom", parse: (value) => value !== "false" }],
 * });
 * parser.parse("FROM alpine\nTEST go test ./...\n").instructions[1]?.kind; // "other"
 * ```
 */
export function createDockerfileParser(extensions: DockerfileExtensions = {}): DockerfileParser {
  checkInstructions(extensions.instructions ?? []);
  const added = (extensions.instructions ?? []).map((spec) => ({
    ...spec,
    name: spec.name.toUpperCase(),
  }));
  const engine = new SyntaxEngine([...BUILTIN_INSTRUCTIONS, ...added]);
  checkFlags(extensions.flags ?? [], new Set(engine.specs.keys()));
  const typers = new Map(
    added.flatMap((spec) => (spec.type === undefined ? [] : [[spec.name, spec.type] as const])),
  );
  const options = { engine, typing: { extraFlags: flagTable(extensions.flags ?? []), typers } };
  return {
    parse: (source) => parse(source, options),
    parseStrict: (source) => parseStrict(source, options),
    parseSyntax: (source) => parseSyntax(source, { engine }),
    instructionNames: [...engine.specs.keys()],
  };
}

function flagTable(flags: readonly FlagExtension[]): Map<string, Map<string, FlagValueParser>> {
  const table = new Map<string, Map<string, FlagValueParser>>();
  for (const flag of flags) {
    const instruction = flag.instruction.toUpperCase();
    const byName = table.get(instruction) ?? new Map<string, FlagValueParser>();
    byName.set(flag.name, flag.parse ?? ((value) => value));
    table.set(instruction, byName);
  }
  return table;
}
