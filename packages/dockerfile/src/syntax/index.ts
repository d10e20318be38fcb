/** Public surface of the syntax layer. */
export { dumpInstruction, dumpSyntax } from "./dump.js";
export { BUILTIN_INSTRUCTIONS, type ArgumentRule, type InstructionSpec } from "./instruction-table.js";
export type * from "./nodes.js";
export { builtinEngine, parseSyntax, type SyntaxOptions } from "./parse-syntax.js";
export { SyntaxEngine } from "./engine.js";
export { printSyntax } from "../print/print.js";
