/**
 * BuildKit's S-expression dump of a parsed Dockerfile: one
 * `(keyword ["--flag"] "arg" ...)` line per instruction.
 */
import { goQuote } from './go-quote.js';
import type { InstructionNode, SyntaxTree } from './nodes.js';

/**
 * Prints the tree as BuildKit's parser dumps it, one line per instruction,
 * each ending with a newline.
 *
 * @example
 * ```ts
 * dumpSyntax(parseSyntax("COPY --from=build /app /app\n")); // '(copy ["--from=build"] "/app" "/app")\n'
 * ```
 */
export function dumpSyntax(tree: SyntaxTree): string {
  let output = '';
  for (const instruction of tree.instructions) output += `(${dumpInstruction(instruction)})\n`;
  return output;
}

/** Dumps one instruction without the outer parentheses. */
export function dumpInstruction(instruction: InstructionNode): string {
  let output = instruction.name.toLowerCase();
  if (instruction.flags.length > 0) {
    output += ` [${instruction.flags.map((flag) => goQuote(flag.unquoted)).join(' ')}]`;
  }
  if (instruction.child !== undefined) output += ` (${dumpInstruction(instruction.child)})`;
  for (const argument of instruction.arguments) output += ` ${goQuote(argument.value)}`;
  for (const pair of instruction.pairs) {
    output += ` ${goQuote(pair.key.value)} ${goQuote(pair.value.value)} ${goQuote(pair.separator)}`;
  }
  return output;
}
