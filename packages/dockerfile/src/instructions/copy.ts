/** Typing of COPY and ADD. */
import type { Base, TypingContext } from './build-typed.js';
import { findKnownFlag, isSet, knownFlags, report } from './typed-flags.js';
import type { CopyInstruction } from './types.js';

/**
 * Builds COPY or ADD: every argument but the last is a source, the last is the
 * destination. A heredoc marker counts as a source.
 */
export function buildCopy(base: Base, context: TypingContext): CopyInstruction {
  const name = base.name as CopyInstruction['name'];
  const words = base.syntax.arguments.map((node) => node.value);
  if (words.length < 2) {
    report(
      context.diagnostics,
      'missing-arguments',
      `${name} requires at least two arguments, a source and a destination, for example ${name} app/ /app/`,
      base.syntax.keyword.range,
    );
  }
  const flags = base.flags;
  return {
    range: base.range,
    flags: base.flags,
    syntax: base.syntax,
    name,
    kind: 'copy',
    sources: words.slice(0, -1),
    destination: words[words.length - 1] ?? '',
    heredocs: base.syntax.heredocs,
    from: findKnownFlag(base, 'from'),
    chown: findKnownFlag(base, 'chown'),
    chmod: findKnownFlag(base, 'chmod'),
    link: isSet(flags, 'link'),
    parents: isSet(flags, 'parents'),
    exclude: knownFlags(base, 'exclude'),
    checksum: findKnownFlag(base, 'checksum'),
    keepGitDir: findKnownFlag(base, 'keep-git-dir'),
  };
}
