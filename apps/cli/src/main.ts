/**
 * The `gantry` command: reads the command line, runs the command, and maps
 * every error to an exit code in one place (see `exit-codes.ts`). The
 * executable (`launch.ts`) loads this module's bundle and calls {@link runCli}.
 */
import { watchClosedOutputs } from './closed-output.js';
import { EXIT_CODES, SIGNAL_EXIT_CODES } from './exit-codes.js';
import { MAIN_HELP } from './help.js';
import {
  BuildReportedError,
  InterruptedError,
  OutputClosedError,
  UsageError,
} from './usage-error.js';

const COMMANDS: Readonly<Record<string, (argv: readonly string[]) => Promise<number>>> = {
  build: async (argv) => (await import('./commands/build-command.js')).runBuild(argv),
  cache: async (argv) => (await import('./commands/cache-command.js')).runCache(argv),
  parse: async (argv) => (await import('./commands/parse-command.js')).runParse(argv),
  version: async (argv) => (await import('./commands/version.js')).runVersion(argv),
};

/** Runs gantry with the arguments after the program name; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    return await dispatch(argv);
  } catch (error) {
    return reportError(error);
  }
}

async function dispatch(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(MAIN_HELP);
    return name === undefined ? EXIT_CODES.usage : EXIT_CODES.success;
  }
  if (name === '--version' || name === '-v') return COMMANDS.version?.([]) ?? 0;
  const command = COMMANDS[name];
  if (command === undefined) {
    throw new UsageError(
      `unknown command ${JSON.stringify(name)}; the commands are build, cache, parse, version`,
    );
  }
  return command(rest);
}

/** Maps an error to its exit code, printing one message on standard error unless the log showed it. */
function reportError(error: unknown): number {
  if (error instanceof UsageError) {
    const help = error.command === undefined ? 'gantry --help' : `gantry ${error.command} --help`;
    process.stderr.write(`gantry: ${error.message}\nSee '${help}'.\n`);
    return EXIT_CODES.usage;
  }
  if (error instanceof InterruptedError) return SIGNAL_EXIT_CODES[error.signal];
  // The build's log showed the reason where its error line goes, unless that output closed.
  if (error instanceof OutputClosedError) return EXIT_CODES.buildFailed;
  // The build's log already showed its error, in the format the user chose.
  if (error instanceof BuildReportedError) return error.exitCode;
  process.stderr.write(`gantry: ${error instanceof Error ? error.message : String(error)}\n`);
  return EXIT_CODES.buildFailed;
}

/**
 * Runs gantry as the process's command and sets the exit code. A reader that
 * stops early (`gantry cache ls | head`) ends the process with no failure,
 * except during a build, which stops and removes its containers first.
 */
export async function runCli(argv: readonly string[]): Promise<void> {
  watchClosedOutputs();
  process.exitCode = await main(argv);
}
