/**
 * Handling of a closed output. When the reader of standard output or standard
 * error goes away (`gantry cache ls | head`), the next write fails with
 * EPIPE, which Node.js reports as an `error` event on the stream.
 */

/** The output stream whose reader went away. */
export type OutputName = 'stdout' | 'stderr';

let onClosed: ((output: OutputName) => void) | undefined;

/**
 * Watches both outputs for the rest of the process. A closed output ends the
 * process with the exit code set so far, unless a command took the event
 * over with {@link handleClosedOutput}.
 */
export function watchClosedOutputs(): void {
  watch('stdout', process.stdout);
  watch('stderr', process.stderr);
}

/**
 * Calls `handler` on each closed-output error for the rest of the process,
 * in place of ending it. A build uses it to stop and remove its containers
 * before it exits.
 */
export function handleClosedOutput(handler: (output: OutputName) => void): void {
  onClosed = handler;
}

function watch(name: OutputName, stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    // Writes after the first failure report ERR_STREAM_DESTROYED.
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    if (onClosed === undefined) process.exit(process.exitCode ?? 0);
    onClosed(name);
  });
}
