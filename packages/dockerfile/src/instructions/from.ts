/** Typing of FROM. */
import type { Base, TypingContext } from './build-typed.js';
import { requireArguments } from './build-typed.js';
import { findKnownFlag, report } from './typed-flags.js';
import type { FromInstruction } from './types.js';

/** Builds FROM: image, `--platform` and the stage name after `AS`. */
export function buildFrom(base: Base, context: TypingContext): FromInstruction {
  const args = base.syntax.arguments;
  requireArguments(base, context, 1, 'FROM alpine:3.20');
  const image = args[0]?.value ?? '';
  let stageName: string | undefined;
  if (args.length === 3 && args[1]?.value.toLowerCase() === 'as') {
    stageName = (args[2]?.value ?? '').toLowerCase();
    checkStageName(stageName, base, context);
  } else if (args.length > 1) {
    report(
      context.diagnostics,
      'invalid-from',
      `FROM takes an image and an optional AS name, got ${args.length} words; write FROM image AS name`,
      base.syntax.range,
    );
  }
  return {
    range: base.range,
    flags: base.flags,
    syntax: base.syntax,
    name: 'FROM',
    kind: 'from',
    image,
    platform: findKnownFlag(base, 'platform'),
    stageName,
  };
}

const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;

function checkStageName(name: string, base: Base, context: TypingContext): void {
  if (STAGE_NAME.test(name)) return;
  const node = base.syntax.arguments[2];
  report(
    context.diagnostics,
    'invalid-stage-name',
    `invalid stage name ${JSON.stringify(name)}: start with a letter and use letters, digits, '-', '_' and '.', for example AS build`,
    node?.range ?? base.range,
  );
}
