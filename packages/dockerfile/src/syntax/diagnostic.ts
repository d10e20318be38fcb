/** Builds diagnostics whose messages end with the place they refer to. */
import type { Diagnostic, Range, Severity } from './nodes.js';

/**
 * Creates a diagnostic whose message ends with the one-based line and column of
 * the range's start, as every message of this package does. A final period of
 * the message, as flag errors have, is dropped first.
 */
export function createDiagnostic(
  severity: Severity,
  rule: string,
  message: string,
  range: Range,
): Diagnostic {
  const text = message.endsWith('.') ? message.slice(0, -1) : message;
  const location = `(line ${range.start.line + 1}, column ${range.start.character + 1})`;
  return { severity, rule, message: `${text} ${location}`, range };
}
