/** Helpers of the CLI tests: run the built `gantry` command and read what it printed. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Path of the built command, the script that npm installs as `gantry`. */
export const GANTRY_BIN = fileURLToPath(new URL('../dist/bundle/gantry', import.meta.url));

/** The output and exit status of one run of the command. */
export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runGantry}. */
export interface RunGantryOptions {
  /** Path of the command to run; {@link GANTRY_BIN} unless set. */
  readonly command?: string;
  /** Extra environment variables. */
  readonly env?: Record<string, string>;
  /** Standard input, text or bytes. */
  readonly input?: string | Buffer;
  /** Called with each chunk of standard output, and the child process, while it runs. */
  readonly onStdout?: (chunk: string, child: import('node:child_process').ChildProcess) => void;
}

/** Runs `gantry` with the arguments and waits for it to exit. */
export function runGantry(
  args: readonly string[],
  options: RunGantryOptions = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.command ?? GANTRY_BIN, args, {
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      options.onStdout?.(chunk, child);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** Image ids (12 hex digits) of the ` ---> id` lines of a classic log, in order. */
export function stepImageIds(log: string): string[] {
  return [...log.matchAll(/^ ---> ([0-9a-f]{12})$/gm)].map((match) => match[1] ?? '');
}
