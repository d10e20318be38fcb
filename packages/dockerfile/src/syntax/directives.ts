/**
 * Parser directives: `# syntax=`, `# escape=` and `# check=` comment lines at
 * the very top of the file.
 */

/** Directive names BuildKit reads. */
export const DIRECTIVE_NAMES: ReadonlySet<string> = new Set(['syntax', 'escape', 'check']);

const DIRECTIVE_PATTERN = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;

/**
 * A directive found on a line: its lower-case name, value and the offsets of
 * the value inside the line.
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
  const match = DIRECTIVE_PATTERN.exec(line);
  if (match === null) return undefined;
  const name = (match[1] as string).toLowerCase();
  if (!DIRECTIVE_NAMES.has(name)) return undefined;
  return { name, value: match[2] as string };
}
