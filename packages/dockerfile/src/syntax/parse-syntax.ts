/**
 * `parseSyntax`: text to the positioned syntax tree. It never throws; every
 * problem comes back as a diagnostic.
 */
import { InstructionBuilder } from './build-instruction.js';
import { createDiagnostic } from './diagnostic.js';
import { SyntaxEngine } from './engine.js';
import { BUILTIN_INSTRUCTIONS } from './instruction-table.js';
import { endOfSource, type LineTable, splitLines } from './lines.js';
import type { Diagnostic, InstructionNode, SyntaxTree, TopLevelNode } from './nodes.js';
import { LineScanner, type ScannedInstruction, type ScannedItem } from './scanner.js';

/** Options of {@link parseSyntax}. */
export interface SyntaxOptions {
  /** The engine to parse with; the built-in instructions when omitted. */
  readonly engine?: SyntaxEngine;
}

let defaultEngine: SyntaxEngine | undefined;

/** Returns the shared engine of the built-in instructions, created on first use. */
export function builtinEngine(): SyntaxEngine {
  defaultEngine ??= new SyntaxEngine(BUILTIN_INSTRUCTIONS);
  return defaultEngine;
}

/**
 * Parses Dockerfile text into a syntax tree with a range on every node.
 * Never throws: syntax errors and warnings are in `diagnostics`.
 *
 * @example
 * ```ts
 * const tree = parseSyntax("FROM alpine AS build\nRUN make\n");
 * tree.instructions[0]?.arguments.map((argument) => argument.value); // ["alpine", "AS", "build"]
 * ```
 */
export function parseSyntax(source: string, options: SyntaxOptions = {}): SyntaxTree {
  const engine = options.engine ?? builtinEngine();
  const lines = splitLines(source);
  const diagnostics: Diagnostic[] = [];
  const scanner = new LineScanner(source, lines, engine.findHeredocs, diagnostics);
  const instructions: InstructionNode[] = [];
  const nodes: TopLevelNode[] = [];
  let builder: InstructionBuilder | undefined;
  do {
    scanner.run(BATCH_SIZE);
    const items = scanner.take();
    const batch = scannedOf(items);
    // The escape directive can only come before the first instruction.
    builder ??=
      batch.length > 0
        ? new InstructionBuilder(engine, source, scanner.escape, diagnostics)
        : undefined;
    const built = builder === undefined ? [] : buildBatch(engine, builder, batch);
    placeNodes(items, built, nodes, instructions);
  } while (scanner.pending);

  if (instructions.length === 0) diagnostics.push(noInstructions(source, lines));
  diagnostics.sort((left, right) => left.range.start.offset - right.range.start.offset);
  const directives = nodes.filter((node) => node.kind === 'directive');
  return {
    kind: 'dockerfile',
    source,
    escape: scanner.escape,
    directives,
    instructions,
    nodes,
    diagnostics,
  };
}

/**
 * Instructions lexed and parsed per chevrotain call. Batches keep the tokens
 * and CST of only a part of a large file alive at a time, so garbage
 * collection stays cheap. One call per instruction would cost more in call overhead.
 */
const BATCH_SIZE = 256;

function buildBatch(
  engine: SyntaxEngine,
  builder: InstructionBuilder,
  batch: readonly ScannedInstruction[],
): (InstructionNode | undefined)[] {
  const built: (InstructionNode | undefined)[] = [];
  const rest: number[] = [];
  for (let index = 0; index < batch.length; index++) {
    const item = batch[index] as ScannedInstruction;
    const cst = engine.parseSimpleLine(item.text);
    built.push(cst === undefined ? undefined : builder.build(cst, item, 0));
    if (cst === undefined) rest.push(index);
  }
  if (rest.length > 0) buildWithGrammar(engine, builder, batch, rest, built);
  return built;
}

/** Builds the instructions at `indexes` of the batch from one grammar call. */
function buildWithGrammar(
  engine: SyntaxEngine,
  builder: InstructionBuilder,
  batch: readonly ScannedInstruction[],
  indexes: readonly number[],
  built: (InstructionNode | undefined)[],
): void {
  const items = indexes.map((index) => batch[index] as ScannedInstruction);
  const csts = engine.parseLines(joinTexts(items));
  let base = 0;
  for (let position = 0; position < items.length; position++) {
    const item = items[position] as ScannedInstruction;
    const cst = csts[position];
    if (cst !== undefined) built[indexes[position] as number] = builder.build(cst, item, -base);
    base += item.text.length + 1;
  }
}

function scannedOf(items: readonly ScannedItem[]): ScannedInstruction[] {
  const batch: ScannedInstruction[] = [];
  for (const item of items) if (item.kind === 'scanned') batch.push(item);
  return batch;
}

/** Joins the logical lines of a batch with `\n`, the line end the lexer expects. */
function joinTexts(batch: readonly ScannedInstruction[]): string {
  let text = (batch[0] as ScannedInstruction).text;
  for (let index = 1; index < batch.length; index++) {
    text += `\n${(batch[index] as ScannedInstruction).text}`;
  }
  return text;
}

/** Appends the scanned items in order, each instruction replaced by its built node. */
function placeNodes(
  items: readonly (TopLevelNode | ScannedInstruction)[],
  built: readonly (InstructionNode | undefined)[],
  nodes: TopLevelNode[],
  instructions: InstructionNode[],
): void {
  let next = 0;
  for (const item of items) {
    const node = item.kind === 'scanned' ? built[next++] : item;
    if (node === undefined) continue;
    nodes.push(node);
    if (node.kind === 'instruction') instructions.push(node);
  }
}

function noInstructions(source: string, lines: LineTable): Diagnostic {
  const position = endOfSource(source, lines);
  return createDiagnostic(
    'error',
    'no-instructions',
    'the Dockerfile has no instructions: add at least a FROM line, for example FROM alpine:3.20',
    { start: position, end: position },
  );
}
