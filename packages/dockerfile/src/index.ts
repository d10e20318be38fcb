/**
 * @gantry/dockerfile: the Dockerfile grammar. Parses text into a positioned
 * syntax tree, typed instructions and stages; prints trees back losslessly;
 * dumps them in BuildKit's S-expression format; expands variables.
 */
export { DockerfileExtensionError, DockerfileSyntaxError } from './errors.js';
export * from './expansion/index.js';
export {
  createDockerfileParser,
  type DockerfileExtensions,
  type DockerfileParser,
  type FlagExtension,
  type InstructionExtension,
} from './extension.js';
export * from './flags/index.js';
export type { InstructionTyper } from './instructions/build-typed.js';
export {
  type FlagValueParser,
  findKnownFlag,
  knownFlags,
} from './instructions/typed-flags.js';
export type * from './instructions/types.js';
export { type Dockerfile, type ParseOptions, parse, parseStrict } from './parse.js';
export { addFlag, replaceText } from './print/edit.js';
export { formatSyntax } from './print/format.js';
export { printSyntax } from './print/print.js';
export * from './stages/stages.js';
export { suggestName } from './suggest.js';
export * from './syntax/index.js';
