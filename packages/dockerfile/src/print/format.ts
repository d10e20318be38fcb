/**
 * `formatSyntax`: prints a tree in a normalised style, unlike the lossless
 * printer: upper-case keywords, no trailing blanks, at most one blank line in
 * a row and one final newline. Heredoc bodies are kept as written. Empty lines
 * at the start are dropped, except one before a leading comment.
 */
import type { InstructionNode, SyntaxTree } from '../syntax/nodes.js';
import { printSyntax } from './print.js';

/** Prints the tree in the normalised style; the tree is left unchanged. */
export function formatSyntax(tree: SyntaxTree): string {
  const keywords = tree.instructions.flatMap(keywordsOf);
  const saved = keywords.map((keyword) => keyword.text);
  for (const keyword of keywords) keyword.text = keyword.text.toUpperCase();
  const printed = printSyntax(tree);
  keywords.forEach((keyword, index) => {
    keyword.text = saved[index] as string;
  });
  return normaliseLines(printed, heredocLines(tree), opensWithBlankBeforeComment(tree));
}

/**
 * Checks whether empty lines come before the first node and that node is a
 * comment. One empty line must stay there, because without it a comment such
 * as `# escape=\`` would be read as a parser directive.
 */
function opensWithBlankBeforeComment(tree: SyntaxTree): boolean {
  const first = tree.nodes[0];
  return first?.kind === 'comment' && first.range.start.line > 0;
}

function keywordsOf(instruction: InstructionNode): InstructionNode['keyword'][] {
  const child = instruction.child === undefined ? [] : keywordsOf(instruction.child);
  return [instruction.keyword, ...child];
}

function heredocLines(tree: SyntaxTree): Set<number> {
  const lines = new Set<number>();
  for (const instruction of tree.instructions) {
    for (const heredoc of instruction.heredocs) {
      for (let line = heredoc.range.start.line; line <= heredoc.range.end.line; line++)
        lines.add(line);
    }
  }
  return lines;
}

function normaliseLines(
  text: string,
  keep: ReadonlySet<number>,
  keepLeadingBlank: boolean,
): string {
  const lineEnding = text.includes('\r\n') ? '\r\n' : '\n';
  const output: string[] = [];
  let blank = false;
  text.split(/\r?\n/).forEach((line, index) => {
    if (keep.has(index)) {
      output.push(line);
      blank = false;
      return;
    }
    const trimmed = line.replace(/[ \t]+$/, '');
    const leading = output.length === 0 && !keepLeadingBlank;
    if (trimmed === '' && (blank || leading)) return;
    blank = trimmed === '';
    output.push(trimmed);
  });
  while (output.length > 0 && output[output.length - 1] === '') output.pop();
  return output.join(lineEnding) + lineEnding;
}
