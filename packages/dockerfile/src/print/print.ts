/**
 * The lossless printer. It writes every leaf node's `text` and copies the
 * source between leaves unchanged, so an unedited tree prints back byte for
 * byte and an edited leaf changes only its own span. A comment line inside a
 * continued shell-form command lies inside that command's argument, so it is
 * printed as part of the argument's text.
 */
import type { InstructionNode, NodeBase, SyntaxTree } from '../syntax/nodes.js';

/**
 * Prints a syntax tree back to Dockerfile text.
 *
 * @example
 * ```ts
 * const tree = parseSyntax("FROM alpine:3.19 AS build\n");
 * const image = tree.instructions[0]?.arguments[0];
 * if (image) image.text = "alpine:3.20";
 * printSyntax(tree); // "FROM alpine:3.20 AS build\n"
 * ```
 */
export function printSyntax(tree: SyntaxTree): string {
  const leaves = collectLeaves(tree);
  const source = tree.source;
  let output = '';
  let cursor = 0;
  for (const leaf of leaves) {
    const start = leaf.range.start.offset;
    if (start < cursor) continue;
    output += source.slice(cursor, start);
    output += leaf.text;
    cursor = leaf.range.end.offset;
  }
  return output + source.slice(cursor);
}

/** Leaf nodes of the tree sorted by where they start in the source. */
export function collectLeaves(tree: SyntaxTree): NodeBase[] {
  const leaves: NodeBase[] = [];
  for (const node of tree.nodes) {
    if (node.kind === 'instruction') addInstruction(node, leaves);
    else leaves.push(node);
  }
  return leaves.sort((left, right) => left.range.start.offset - right.range.start.offset);
}

function addInstruction(instruction: InstructionNode, leaves: NodeBase[]): void {
  leaves.push(instruction.keyword, ...instruction.flags);
  if (instruction.child !== undefined) addInstruction(instruction.child, leaves);
  leaves.push(...instruction.arguments);
  for (const pair of instruction.pairs) leaves.push(pair.key, pair.value);
  leaves.push(...instruction.comments, ...instruction.heredocs);
}
