/**
 * `formatSyntax`: prints a tree in a normalised style, unlike the lossless
 * printer: upper-case keywords, no trailing blanks, at most one blank line in
 * a row and one final newline. Heredoc bodies are kept as written.
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
  return normaliseLines(printed, heredocLines(tree));
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

function normaliseLines(text: string, keep: ReadonlySet<number>): string {
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
    if (trimmed === '' && (blank || output.length === 0)) return;
    blank = trimmed === '';
    output.push(trimmed);
  });
  while (output.length > 0 && output[output.length - 1] === '') output.pop();
  return output.join(lineEnding) + lineEnding;
}
