/**
 * RUN with heredocs, with BuildKit's semantics, since the classic builder has
 * none. A RUN that is one heredoc runs its content as the shell script, or,
 * when the content starts with `#!`, as a file run by the interpreter that
 * line names. Any other form passes the command line and the heredocs to
 * the shell, which reads them as here-documents itself.
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
    return content.startsWith('#!') ? scriptFileCommand(only.name, content) : content;
  }
  let script = command.script;
  for (const heredoc of heredocs) script += `\n${heredoc.content}${heredoc.name}`;
  return script;
}

/**
 * Returns a shell command that writes a `#!` heredoc to `/dev/pipes/<name>`
 * (mode 0755), where BuildKit mounts it, and replaces itself with the
 * interpreter of the `#!` line run on that file, as the kernel would run it.
 * `/dev` is a tmpfs in the step's container, so the file stays out of the
 * committed layer. A user who may not create `/dev/pipes` gets the file in
 * `/dev/shm`, which is writable by all but mounted `noexec`, which is why
 * the interpreter is named rather than the file executed.
 * NOTE: the shell of the image (SHELL) must read POSIX `sh` syntax, and the
 * script travels as one argument, so it is limited to the kernel's 128 KiB
 * per argument.
 */
export function scriptFileCommand(name: string, content: string): string {
  const [interpreter, argument] = shebang(content);
  const file = `"$dir"/${shellQuote(name)}`;
  const run = [interpreter, argument].filter((part) => part !== undefined).map(shellQuote);
  return [
    'dir=/dev/pipes',
    '{ mkdir -p "$dir" && [ -w "$dir" ]; } 2>/dev/null || dir=/dev/shm',
    `printf '%s' ${shellQuote(content)} > ${file}`,
    `chmod 0755 ${file}`,
    `exec ${run.join(' ')} ${file}`,
  ].join('\n');
}

/**
 * Splits a `#!` line as Linux does: the interpreter path, then the rest of
 * the line as one optional argument.
 */
export function shebang(content: string): [string, string | undefined] {
  const line = (content.split('\n', 1)[0] ?? '').slice(2).trim();
  const space = line.search(/[ \t]/);
  if (space === -1) return [line, undefined];
  const argument = line.slice(space + 1).trim();
  return [line.slice(0, space), argument === '' ? undefined : argument];
}

/** Quotes a word for a POSIX shell: single quotes, with `'` written as `'\''`. */
function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
