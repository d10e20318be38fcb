/** The server's pino logger and the scrubbing of secrets from logged text. */
import { type Logger, pino } from 'pino';

/**
 * Creates the default logger: JSON lines on standard output. Authorization
 * headers are redacted in case a caller logs a request object.
 */
export function createLogger(level = 'info'): Logger {
  return pino({
    name: 'gantry-server',
    level,
    redact: ['req.headers.authorization', 'headers.authorization'],
  });
}

/**
 * Replaces every occurrence of the build-arg values in `text` with `***`, so
 * that a failing step's message (which can quote its command line) does not
 * write them to the log.
 */
export function redactValues(text: string, values: Readonly<Record<string, string>>): string {
  let redacted = text;
  for (const value of Object.values(values)) {
    // Single characters would make every message unreadable and reveal little.
    if (value.length < 2) continue;
    redacted = redacted.replaceAll(value, '***');
  }
  return redacted;
}
