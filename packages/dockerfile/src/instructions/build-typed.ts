/**
 * Turns syntax nodes into typed instructions through a map from instruction
 * name to builder, and checks what BuildKit's instruction layer checks:
 * argument counts, required forms and allowed flags.
 */
import type { Diagnostic, InstructionNode } from '../syntax/nodes.js';
import { buildCommand, buildHealthcheck, buildRun } from './commands.js';
import { buildCopy } from './copy.js';
import { buildFrom } from './from.js';
import { buildArg, buildKeyValues } from './key-values.js';
import { type ExtraFlags, report, typeFlags } from './typed-flags.js';
import type {
  InstructionBase,
  InstructionFlag,
  OtherInstruction,
  TypedInstruction,
} from './types.js';
import { buildList, buildValue } from './values.js';

/** Builds the typed data of an instruction an extension adds. */
export type InstructionTyper = (syntax: InstructionNode) => unknown;

/** State that the builders share while typing one file. @internal */
export interface TypingContext {
  readonly diagnostics: Diagnostic[];
  readonly extraFlags: ExtraFlags;
  readonly typers: ReadonlyMap<string, InstructionTyper>;
}

/** Common fields of a typed instruction. @internal */
export type Base = Omit<InstructionBase, 'kind'>;

/** A builder of one instruction kind. @internal */
export type Builder = (base: Base, context: TypingContext) => TypedInstruction;

const BUILDERS: Readonly<Record<string, Builder>> = {
  FROM: buildFrom,
  RUN: buildRun,
  CMD: buildCommand,
  ENTRYPOINT: buildCommand,
  SHELL: buildCommand,
  COPY: buildCopy,
  ADD: buildCopy,
  ENV: buildKeyValues,
  LABEL: buildKeyValues,
  ARG: buildArg,
  EXPOSE: buildList,
  VOLUME: buildList,
  USER: buildValue,
  WORKDIR: buildValue,
  STOPSIGNAL: buildValue,
  MAINTAINER: buildValue,
  ONBUILD: buildOnbuild,
  HEALTHCHECK: buildHealthcheck,
};

/** Builds the typed instruction of one syntax node. */
export function typeInstruction(syntax: InstructionNode, context: TypingContext): TypedInstruction {
  const flags: InstructionFlag[] = typeFlags(syntax, context.extraFlags, context.diagnostics);
  const base: Base = { name: syntax.name, range: syntax.range, flags, syntax };
  const builder = context.typers.has(syntax.name) ? undefined : BUILDERS[syntax.name];
  if (builder !== undefined) return builder(base, context);
  return buildOther(base, context);
}

function buildOther(base: Base, context: TypingContext): OtherInstruction {
  const typer = context.typers.get(base.name);
  const data = typer === undefined ? undefined : runTyper(typer, base, context);
  return {
    name: base.name,
    range: base.range,
    flags: base.flags,
    syntax: base.syntax,
    kind: 'other',
    arguments: base.syntax.arguments.map((node) => node.value),
    data,
  };
}

/** Runs an extension's typer; an error it throws becomes a diagnostic, since parse never throws. */
function runTyper(typer: InstructionTyper, base: Base, context: TypingContext): unknown {
  try {
    return typer(base.syntax);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    report(
      context.diagnostics,
      'invalid-instruction',
      `invalid ${base.name}: ${reason}`,
      base.range,
    );
    return undefined;
  }
}

function buildOnbuild(base: Base, context: TypingContext): TypedInstruction {
  const child = base.syntax.child;
  if (child === undefined) {
    report(
      context.diagnostics,
      'missing-arguments',
      'ONBUILD needs an instruction to run later, for example ONBUILD RUN make',
      base.syntax.keyword.range,
    );
  }
  const trigger = child === undefined ? undefined : typeInstruction(child, context);
  return {
    range: base.range,
    flags: base.flags,
    syntax: base.syntax,
    name: 'ONBUILD',
    kind: 'onbuild',
    trigger,
  };
}

/** Reports an instruction with too few arguments. @internal */
export function requireArguments(
  base: Base,
  context: TypingContext,
  count: number,
  example: string,
): boolean {
  if (base.syntax.arguments.length + base.syntax.pairs.length >= count) return true;
  const what = count === 1 ? 'at least one argument' : `at least ${count} arguments`;
  report(
    context.diagnostics,
    'missing-arguments',
    `${base.name} requires ${what}, for example ${example}`,
    base.syntax.keyword.range,
  );
  return false;
}
