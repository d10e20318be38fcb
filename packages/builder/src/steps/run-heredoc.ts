/**
 * RUN with heredocs, with BuildKit's semantics, since the classic builder has
 * none. A RUN that is one heredoc runs its content as the shell script. Any
 * other form passes the command line and the heredocs to the shell, which
 * reads them as here-documents itself.
 */
import type { RunInstruction } from '@gantry/dockerfile';
import { BuildError } from '../errors.js';

const SINGLE_MARKER = /^\d*<<-?\s*(["']?)([^"'\s]+)\1$/;

/** Returns the shell's arguments after the shell itself for a RUN with heredocs. */
export function heredocScript(instruction: RunInstruction): string {
  const { command, heredocs } = instruction;
  if (command.form !== 'shell') {
    throw new BuildError(
      'ERR_DOCKERFILE',
      'RUN heredocs need the shell form, for example RUN <<EOF',
    );
  }
  const [only] = heredocs;
  if (heredocs.length === 1 && only !== undefined && SINGLE_MARKER.test(command.script.trim())) {
    const content = only.chomp ? only.content.replace(/^\t+/gm, '') : only.content;
    if (content.startsWith('#!')) {
      throw new BuildError(
        'ERR_UNSUPPORTED',
        'RUN with a heredoc that starts with #! (run as its own file) is not supported by gantry yet; name the interpreter, as in RUN python3 <<EOF',
      );
    }
    return content;
  }
  let script = command.script;
  for (const heredoc of heredocs) script += `\n${heredoc.content}${heredoc.name}`;
  return script;
}
