/**
 * `findNodesAt`: the nodes of a syntax tree under a cursor, for hover,
 * go-to-definition and other editor features.
 */
import type { InstructionNode, Range, SyntaxNode, SyntaxTree, TopLevelNode } from './nodes.js';

/** A zero-based line and character (UTF-16 code unit), as the Language Server Protocol counts. */
export interface LinePosition {
  readonly line: number;
  readonly character: number;
}

/**
 * Finds the nodes that contain a place in the source, outermost first. The
 * result is a directive or comment alone, or an instruction and the node inside
 * it: keyword, flag, argument, pair (then its key or value), heredoc or comment.
 * Under ONBUILD the wrapped instruction and its node come next. A node contains
 * the place from its first character up to and including its end, so a cursor
 * just after a word still finds it. Outside every node the list is empty.
 *
 * Lines end at `\n`, as in the parser. A character past the end of its line
 * means the line's end. A line that does not exist, or an offset outside the
 * source, finds nothing.
 *
 * @example
 * ```ts
 * const tree = parseSyntax('FROM alpine\nCOPY --chown=app . /app\n');
 * findNodesAt(tree, { line: 1, character: 8 }).map((node) => node.kind); // ['instruction', 'flag']
 * ```
 */
export function findNodesAt(tree: SyntaxTree, at: number | LinePosition): SyntaxNode[] {
  const offset = typeof at === 'number' ? at : offsetOf(tree.source, at);
  if (offset === undefined || offset < 0 || offset > tree.source.length) return [];
  const top = findTopLevel(tree.nodes, offset);
  if (top === undefined) return [];
  if (top.kind !== 'instruction') return [top];
  return [top, ...findInside(top, offset)];
}

/** Finds the top-level node at `offset` by binary search, since nodes are in source order. */
function findTopLevel(nodes: readonly TopLevelNode[], offset: number): TopLevelNode | undefined {
  let low = 0;
  let high = nodes.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const node = nodes[middle] as TopLevelNode;
    if (offset < node.range.start.offset) high = middle - 1;
    else if (offset > node.range.end.offset) low = middle + 1;
    else return node;
  }
  return undefined;
}

function findInside(instruction: InstructionNode, offset: number): SyntaxNode[] {
  const child = instruction.child;
  if (child !== undefined && contains(child.range, offset)) {
    return [child, ...findInside(child, offset)];
  }
  const parts: SyntaxNode[] = [
    instruction.keyword,
    ...instruction.flags,
    ...instruction.arguments,
    ...instruction.pairs,
    ...instruction.heredocs,
    ...instruction.comments,
  ];
  const hit = parts.find((node) => contains(node.range, offset));
  if (hit === undefined) return [];
  if (hit.kind !== 'pair') return [hit];
  const side = [hit.key, hit.value].find((node) => contains(node.range, offset));
  return side === undefined ? [hit] : [hit, side];
}

function contains(range: Range, offset: number): boolean {
  return range.start.offset <= offset && offset <= range.end.offset;
}

/**
 * Returns the offset of a line and character, or undefined when the line does
 * not exist. A character past the line's end means the end, as in the Language
 * Server Protocol.
 */
function offsetOf(source: string, position: LinePosition): number | undefined {
  let lineStart = 0;
  for (let line = 0; line < position.line; line++) {
    const newline = source.indexOf('\n', lineStart);
    if (newline === -1) return undefined;
    lineStart = newline + 1;
  }
  const newline = source.indexOf('\n', lineStart);
  let lineEnd = newline === -1 ? source.length : newline;
  if (source.charCodeAt(lineEnd - 1) === 13 && lineEnd > lineStart) lineEnd--;
  return lineStart + Math.min(position.character, lineEnd - lineStart);
}
