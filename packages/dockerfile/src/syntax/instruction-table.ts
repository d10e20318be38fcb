/**
 * The one table of instruction names. The lexer builds its keyword tokens
 * from it, the tree builder picks the argument rule from it, and the
 * "did you mean" suggestion for an unknown instruction reads its names.
 */

/**
 * How BuildKit's parser reads the arguments of an instruction.
 *
 * - `exec-or-shell`: a JSON array, else the whole text as one argument (RUN, CMD).
 * - `exec-or-list`: a JSON array, else words split on white space (COPY, ADD, VOLUME).
 * - `list`: words split on white space (FROM, EXPOSE).
 * - `string`: the whole text as one argument (USER, WORKDIR).
 * - `pairs`: `key=value ...` or the legacy `key value` (ENV, LABEL).
 * - `names`: quote-aware words, each `name` or `name=value` (ARG).
 * - `subcommand`: another instruction (ONBUILD).
 * - `healthcheck`: `NONE`, or `CMD` and a command (HEALTHCHECK).
 */
export type ArgumentRule =
  | 'exec-or-shell'
  | 'exec-or-list'
  | 'list'
  | 'string'
  | 'pairs'
  | 'names'
  | 'subcommand'
  | 'healthcheck';

/** Grammar facts about one instruction. */
export interface InstructionSpec {
  /** Name in upper case, as the keyword is written in documentation. */
  readonly name: string;
  readonly arguments: ArgumentRule;
  /** True when the instruction may open heredocs (`RUN <<EOF`). */
  readonly heredocs?: boolean;
  /** True when ONBUILD may wrap an instruction that opens heredocs. */
  readonly wrapsHeredocs?: boolean;
}

/** The instructions of the Dockerfile reference, in its order. */
export const BUILTIN_INSTRUCTIONS: readonly InstructionSpec[] = [
  { name: 'FROM', arguments: 'list' },
  { name: 'RUN', arguments: 'exec-or-shell', heredocs: true },
  { name: 'CMD', arguments: 'exec-or-shell' },
  { name: 'LABEL', arguments: 'pairs' },
  { name: 'MAINTAINER', arguments: 'string' },
  { name: 'EXPOSE', arguments: 'list' },
  { name: 'ENV', arguments: 'pairs' },
  { name: 'ADD', arguments: 'exec-or-list', heredocs: true },
  { name: 'COPY', arguments: 'exec-or-list', heredocs: true },
  { name: 'ENTRYPOINT', arguments: 'exec-or-shell' },
  { name: 'VOLUME', arguments: 'exec-or-list' },
  { name: 'USER', arguments: 'string' },
  { name: 'WORKDIR', arguments: 'string' },
  { name: 'ARG', arguments: 'names' },
  { name: 'ONBUILD', arguments: 'subcommand', wrapsHeredocs: true },
  { name: 'STOPSIGNAL', arguments: 'string' },
  { name: 'HEALTHCHECK', arguments: 'healthcheck' },
  { name: 'SHELL', arguments: 'exec-or-shell' },
];
