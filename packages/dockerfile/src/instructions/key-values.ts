/** Typing of ENV, LABEL and ARG. */
import type { Base, TypingContext } from './build-typed.js';
import { requireArguments } from './build-typed.js';
import type { ArgDefinition, ArgInstruction, KeyValueInstruction } from './types.js';

/** Builds ENV or LABEL from the pairs of the syntax node. */
export function buildKeyValues(base: Base, context: TypingContext): KeyValueInstruction {
  const name = base.name as KeyValueInstruction['name'];
  // Text without a valid pair already has a syntax error, so only an empty ENV or LABEL is
  // reported here.
  if (base.syntax.form === 'none') requireArguments(base, context, 1, `${name} MODE=release`);
  const pairs = base.syntax.pairs.map((pair) => ({ key: pair.key.value, value: pair.value.value }));
  return {
    range: base.range,
    flags: base.flags,
    syntax: base.syntax,
    name,
    kind: 'key-value',
    pairs,
  };
}

/** Builds ARG: each word is `name` or `name=default`. */
export function buildArg(base: Base, context: TypingContext): ArgInstruction {
  requireArguments(base, context, 1, 'ARG VERSION=1.0');
  const args = base.syntax.arguments.map((node): ArgDefinition => {
    const equals = node.value.indexOf('=');
    if (equals === -1) return { key: node.value, defaultValue: undefined };
    return { key: node.value.slice(0, equals), defaultValue: node.value.slice(equals + 1) };
  });
  return {
    range: base.range,
    flags: base.flags,
    syntax: base.syntax,
    name: 'ARG',
    kind: 'arg',
    args,
  };
}
