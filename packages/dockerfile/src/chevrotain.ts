/**
 * The chevrotain runtime of every module in this package, loaded from one
 * bundled file that `pnpm build` writes (tools/bundle-chevrotain.mjs) instead
 * of chevrotain's own entry, which imports about 640 lodash-es modules. Other
 * modules import chevrotain's values from here and only types from
 * `chevrotain`, so tokens, lexers and grammars all come from one instance.
 * Two copies would not mix: chevrotain 11.2 numbers token types with a
 * counter inside its module (lib/src/scan/tokens.js).
 *
 * @internal
 */
export { CstParser, createToken, Lexer } from '../vendor/chevrotain.js';
