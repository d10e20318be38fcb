/** `gantry build`: builds an image and writes its log in the chosen format. */
import { rm, writeFile } from 'node:fs/promises';
import type { FormatRenderer } from '@gantry/log-format';
import { handleClosedOutput } from '../closed-output.js';
import { readStandardInputContext, type StandardInputContext } from '../context/standard-input.js';
import { EXIT_CODES, SIGNAL_EXIT_CODES } from '../exit-codes.js';
import { BUILD_HELP } from '../help.js';
import {
  BuildReportedError,
  IidFileError,
  InterruptedError,
  type InterruptSignal,
  OutputClosedError,
} from '../usage-error.js';
import { type BuildArguments, readBuildArguments } from './build-arguments.js';

/** Runs `gantry build` with the arguments after `build`; returns the exit code. */
export async function runBuild(argv: readonly string[]): Promise<number> {
  const args = readBuildArguments(argv, process.env);
  if (args.help) {
    process.stdout.write(BUILD_HELP);
    return 0;
  }
  if (args.iidfile !== undefined) await removeIidFile(args.iidfile);
  // One SIGINT, SIGTERM and SIGHUP handler from here to the end, so that a Ctrl-C while
  // standard input is read, or just after, stops the build before it starts.
  const controller = new AbortController();
  const stop = interruptOnSignals(controller);
  let stdinContext: StandardInputContext | undefined;
  try {
    stdinContext = await openStandardInputContext(args, controller.signal);
    return await buildImage(args, stdinContext, controller);
  } finally {
    await stdinContext?.remove();
    stop();
  }
}

async function buildImage(
  args: BuildArguments,
  stdinContext: StandardInputContext | undefined,
  controller: AbortController,
): Promise<number> {
  controller.signal.throwIfAborted();
  // The engine's version request goes out first, so that it overlaps with
  // loading the builder and parsing the Dockerfile. Modules are loaded here,
  // so that `gantry --help` and `gantry version` stay cheap.
  const { connectDockerEngine } = await import('@gantry/daemon');
  const connecting = connectDockerEngine({ signal: controller.signal });
  connecting.catch(() => {});
  const [{ build, StepFailedError }, { createRenderer }] = await Promise.all([
    import('@gantry/builder'),
    import('@gantry/log-format'),
  ]);
  const isTerminal = process.stderr.isTTY === true;
  const renderer = createRenderer(renderedFormat(args.progress, isTerminal), {
    isTerminal,
    columns: process.stderr.columns,
    rows: process.stderr.rows,
    env: process.env,
  });
  const output = outputFor(args.progress);
  // Kept to the end of the process: a late write error after the build settled aborts nothing.
  handleClosedOutput((closed) => {
    if (!controller.signal.aborted) controller.abort(new OutputClosedError(closed));
  });
  const ticker = startTicker(renderer, output);
  try {
    const dockerfileText = args.file === '-' ? await readStandardInput() : undefined;
    const result = await build({
      contextDir: stdinContext?.contextDir ?? args.contextDir,
      dockerfile: stdinContext?.dockerfile ?? (args.file === '-' ? undefined : args.file),
      dockerfileText,
      contextSize: stdinContext?.size,
      cacheScope: stdinContext === undefined ? undefined : standardInputScope(args),
      tags: args.tags,
      buildArgs: args.buildArgs,
      labels: args.labels,
      target: args.target,
      noCache: args.noCache,
      keepContainers: args.keepContainers,
      runContainer: args.runContainer,
      platform: args.platform,
      networkMode: args.network,
      pull: args.pull,
      parallelStages: parallelStagesFor(args.progress),
      globalArgSteps: !isBuildKitView(args.progress),
      signal: controller.signal,
      engine: connecting,
      // The gantry script moves NODE_EXTRA_CA_CERTS here (see src/gantry.sh).
      // Run directly, main.js passes the variable on too, although Node.js has
      // loaded it, so that a file that does not help is named in the message.
      extraCaCertsFile: process.env.GANTRY_NODE_EXTRA_CA_CERTS ?? process.env.NODE_EXTRA_CA_CERTS,
      onEvent: (event) => {
        const text = renderer.render(event);
        if (text === '') return;
        (event.type === 'build-error' ? errorOutput(args.progress, output) : output).write(text);
      },
    }).catch((error: unknown) => {
      if (controller.signal.aborted) throw controller.signal.reason;
      const runCode = error instanceof StepFailedError ? error.exitCode : undefined;
      throw new BuildReportedError(error, buildExitCode(runCode));
    });
    if (args.iidfile !== undefined) await writeIidFile(args.iidfile, result.imageId);
    return 0;
  } finally {
    clearInterval(ticker);
  }
}

/**
 * Returns the exit code of a failed build: a failed RUN's own code, as the
 * docker CLI exits after the classic builder's error, else 1.
 */
function buildExitCode(runCode: number | undefined): number {
  if (runCode !== undefined && runCode >= 1 && runCode <= 255) return runCode;
  return EXIT_CODES.buildFailed;
}

/** Removes the image ID of an earlier build, so that a failed build leaves none, as docker build does. */
async function removeIidFile(path: string): Promise<void> {
  try {
    await rm(path, { force: true });
  } catch (error) {
    throw new IidFileError(
      `Cannot remove the earlier --iidfile ${JSON.stringify(path)}: ${messageOf(error)}; pass the path of a file`,
      { cause: error },
    );
  }
}

async function writeIidFile(path: string, imageId: string): Promise<void> {
  try {
    await writeFile(path, imageId);
  } catch (error) {
    throw new IidFileError(
      `Cannot write the image ID ${imageId} to --iidfile ${JSON.stringify(path)}: ${messageOf(error)}; create its folder or pass a writable path`,
      { cause: error },
    );
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Reads the build context from standard input for PATH `-`. An abort (SIGINT)
 * while it is read stops the reading. An abort that comes as the input ends
 * removes the folder already written. Both reject with the abort's reason.
 */
async function openStandardInputContext(
  args: BuildArguments,
  signal: AbortSignal,
): Promise<StandardInputContext | undefined> {
  if (args.contextDir !== '-') return undefined;
  const onAbort = () => process.stdin.destroy(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const context = await readStandardInputContext(process.stdin, args.file);
    if (signal.aborted) {
      await context.remove();
      throw signal.reason;
    }
    return context;
  } catch (error) {
    throw signal.aborted ? signal.reason : error;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Names a context read from standard input for cache-miss explanations: each
 * run extracts it into a new folder, so the working folder and the first tag
 * stand for the project.
 */
function standardInputScope(args: BuildArguments): string {
  return `stdin:${process.cwd()}:${args.tags[0] ?? ''}:${args.file ?? 'Dockerfile'}`;
}

/**
 * Returns the format to render. `tty` on an output that is not a terminal
 * renders as `plain`, as the docker 20.10 CLI does with `--progress=tty`, so
 * that a log file or a pipe gets no cursor movements.
 */
function renderedFormat(progress: BuildArguments['progress'], isTerminal: boolean): string {
  return progress === 'tty' && !isTerminal ? 'plain' : progress;
}

/** BuildKit's views go to standard error, as `docker buildx` writes them; the rest to standard output. */
function outputFor(progress: BuildArguments['progress']): NodeJS.WriteStream {
  return isBuildKitView(progress) ? process.stderr : process.stdout;
}

/** Returns whether the log is one of BuildKit's views, which show no global ARG steps. */
function isBuildKitView(progress: BuildArguments['progress']): boolean {
  return progress === 'plain' || progress === 'tty' || progress === 'auto';
}

/**
 * Independent stages run at once except with the classic, quiet and
 * engine-json logs, which keep the classic builder's one-step-after-another order.
 */
function parallelStagesFor(progress: BuildArguments['progress']): number {
  return progress === 'classic' || progress === 'quiet' || progress === 'engine-json' ? 1 : 4;
}

/** The docker CLI prints a failed build's error line on standard error. */
function errorOutput(progress: BuildArguments['progress'], output: NodeJS.WriteStream) {
  return progress === 'classic' || progress === 'quiet' ? process.stderr : output;
}

function startTicker(
  renderer: FormatRenderer,
  output: NodeJS.WriteStream,
): NodeJS.Timeout | undefined {
  if (renderer.tick === undefined) return undefined;
  return setInterval(() => output.write(renderer.tick?.(Date.now()) ?? ''), 100);
}

/**
 * Aborts the build on the first SIGINT, SIGTERM or SIGHUP, so its containers
 * are removed, where Node.js would exit at once and leave them. A second
 * signal exits at once.
 */
function interruptOnSignals(controller: AbortController): () => void {
  const handlers = INTERRUPT_SIGNALS.map((signal) => {
    const handler = () => {
      if (controller.signal.aborted) process.exit(SIGNAL_EXIT_CODES[signal]);
      controller.abort(new InterruptedError(signal));
    };
    process.on(signal, handler);
    return { signal, handler };
  });
  return () => {
    for (const { signal, handler } of handlers) process.off(signal, handler);
  };
}

const INTERRUPT_SIGNALS: readonly InterruptSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

async function readStandardInput(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
