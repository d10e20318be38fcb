/** Public surface of the syntax layer. */
export { dumpInstruction, dumpSyntax } from './dump.js';
export { SyntaxEngine } from './engine.js';
export { findNodesAt, type LinePosition } from './find-node.js';
export {
  type ArgumentRule,
  BUILTIN_INSTRUCTIONS,
  type InstructionSpec,
} from './instruction-table.js';
export type * from './nodes.js';
export { builtinEngine, parseSyntax, type SyntaxOptions } from './parse-syntax.js';
