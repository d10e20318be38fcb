// Variable expansion and word splitting with the rules of Docker's shell lexer.
export type { Environment, VariableReference } from './environment.js';
export { ExpansionError, type ExpansionErrorCode, type ExpansionErrorDetails } from './errors.js';
export {
  type EscapeCharacter,
  type ExpansionOptions,
  expandWord,
  expandWords,
  type WordExpansion,
  type WordsExpansion,
} from './expand.js';
export { quoteWord } from './quote.js';
