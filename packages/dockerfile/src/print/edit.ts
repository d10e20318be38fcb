/**
 * Edits that keep the rest of the file as written: replace the text of one
 * node, or add a flag to an instruction.
 */

import { readFlag } from '../syntax/flag-text.js';
import type { FlagNode, InstructionNode, NodeBase } from '../syntax/nodes.js';

/**
 * Replaces the text of a leaf node (keyword, flag, argument, pair key or
 * value, comment, directive, heredoc). The printer writes the new text in its
 * place.
 */
export function replaceText(node: NodeBase, text: string): void {
  node.text = text;
}

/**
 * Adds a flag such as `--link` or `--chmod=755` after the instruction's last
 * flag (or after its keyword) and returns the new node. Its range is empty
 * and sits where the flag is inserted, and its `text` starts with the blank
 * that separates it from the previous word.
 *
 * @example
 * ```ts
 * const tree = parseSyntax("COPY app /app\n");
 * addFlag(tree.instructions[0]!, "--link");
 * printSyntax(tree); // "COPY --link app /app\n"
 * ```
 */
export function addFlag(instruction: InstructionNode, flag: string): FlagNode {
  const anchor = instruction.flags[instruction.flags.length - 1] ?? instruction.keyword;
  const at = anchor.range.end;
  const node: FlagNode = {
    kind: 'flag',
    ...readFlag(flag),
    range: { start: at, end: at },
    text: ` ${flag}`,
  };
  instruction.flags.push(node);
  return node;
}
