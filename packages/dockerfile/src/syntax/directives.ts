/**
 * Parser directives: `# syntax=`, `# escape=` and `# check=` comment lines at
 * the very top of the file.
 */

/** Directive names BuildKit reads. */
export const DIRECTIVE_NAMES: ReadonlySet<string> = new Set(['syntax', 'escape', 'check']);

// `[\t\n\f\r ]` is Go's `\s`. The line is trimmed first: a lazy value followed by
// `\s*$`, as BuildKit writes it for Go's linear-time engine, backtracks
// quadratically in JavaScript on long blank runs.
const DIRECTIVE_PATTERN = /^#[\t\n\f\r ]*([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*([\s\S]+)$/;

/**
 * A directive found on a line: its lower-case name and its value.
 * @internal
 */
export interface DirectiveMatch {
  readonly name: string;
  readonly value: string;
}

/**
 * Matches a line (leading white space already removed) against the directive
 * form. Returns undefined when the line is not a directive, which ends the
 * directive block as in BuildKit: an empty line, an ordinary comment or an
 * unknown name all end it.
 */
export function matchDirective(line: string): DirectiveMatch | undefined {
  const match = DIRECTIVE_PATTERN.exec(trimBlanksEnd(line));
  if (match === null) return undefined;
  const name = (match[1] as string).toLowerCase();
  if (!DIRECTIVE_NAMES.has(name)) return undefined;
  return { name, value: match[2] as string };
}

/** Removes trailing blanks (Go's `\s`) in linear time. */
function trimBlanksEnd(line: string): string {
  let end = line.length;
  while (end > 0 && isGoSpace(line.charCodeAt(end - 1))) end--;
  return line.slice(0, end);
}

function isGoSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 12 || code === 13;
}
