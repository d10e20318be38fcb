/** Typing of EXPOSE, VOLUME, USER, WORKDIR, STOPSIGNAL and MAINTAINER. */
import type { Base, TypingContext } from './build-typed.js';
import { requireArguments } from './build-typed.js';
import type { ListInstruction, ValueInstruction } from './types.js';

const EXAMPLES: Readonly<Record<string, string>> = {
  EXPOSE: 'EXPOSE 8080/tcp',
  VOLUME: 'VOLUME /data',
  USER: 'USER app:app',
  WORKDIR: 'WORKDIR /app',
  STOPSIGNAL: 'STOPSIGNAL SIGTERM',
  MAINTAINER: 'MAINTAINER ops@example.org',
};

/** Builds EXPOSE or VOLUME from their words or JSON array. */
export function buildList(base: Base, context: TypingContext): ListInstruction {
  const name = base.name as ListInstruction['name'];
  requireArguments(base, context, 1, EXAMPLES[name] ?? name);
  return {
    range: base.range,
    flags: base.flags,
    syntax: base.syntax,
    name,
    kind: 'list',
    values: base.syntax.arguments.map((node) => node.value),
  };
}

/** Builds an instruction that takes one value. */
export function buildValue(base: Base, context: TypingContext): ValueInstruction {
  const name = base.name as ValueInstruction['name'];
  requireArguments(base, context, 1, EXAMPLES[name] ?? name);
  return {
    range: base.range,
    flags: base.flags,
    syntax: base.syntax,
    name,
    kind: 'value',
    value: base.syntax.arguments[0]?.value ?? '',
  };
}
