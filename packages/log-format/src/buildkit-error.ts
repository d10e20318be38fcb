/** The error line of BuildKit's plain and tty views. */
import type { BuildErrorEvent } from './events.js';

/**
 * Words a build error as the BuildKit inside Docker Engine 20.10 does, in
 * both of its views. Newer BuildKit words a failing RUN as `process
 * "/bin/sh -c false" did not complete successfully: exit code: 1`.
 */
export function buildkitErrorMessage(event: BuildErrorEvent): string {
  if (event.command !== undefined && event.exitCode !== undefined) {
    return `executor failed running [${event.command.join(' ')}]: exit code: ${event.exitCode}`;
  }
  return event.message;
}
