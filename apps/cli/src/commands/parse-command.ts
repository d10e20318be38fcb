/** `gantry parse FILE`: a Dockerfile's syntax as JSON or as BuildKit's dump, with diagnostics. */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { unknownFlagMessage } from '../flag-messages.js';
import { PARSE_HELP } from '../help.js';
import { UsageError } from '../usage-error.js';

/** Runs `gantry parse` with the arguments after `parse`; returns the exit code. */
export async function runParse(argv: readonly string[]): Promise<number> {
  const { values, positionals } = readArguments(argv);
  if (values.help === true) {
    process.stdout.write(PARSE_HELP);
    return 0;
  }
  const path = positionals[0];
  if (positionals.length !== 1 || path === undefined) {
    throw new UsageError(
      '"gantry parse" requires exactly 1 argument, the Dockerfile path',
      'parse',
    );
  }
  const format = values.format ?? 'json';
  if (format !== 'json' && format !== 'dump') {
    throw new UsageError(
      `Invalid --format value ${JSON.stringify(format)}; use json or dump`,
      'parse',
    );
  }
  const { dumpSyntax, parse } = await import('@gantry/dockerfile');
  const text = path === '-' ? await readStandardInput() : await readDockerfile(path);
  const file = parse(text);
  process.stdout.write(format === 'dump' ? dumpSyntax(file.syntax) : `${toJson(file)}\n`);
  for (const diagnostic of file.diagnostics) {
    const { line, character } = diagnostic.range.start;
    const location = `${line + 1}:${character + 1}`;
    // The message ends with the same place in words, which the prefix already gives.
    const message = diagnostic.message.replace(` (line ${line + 1}, column ${character + 1})`, '');
    process.stderr.write(`${path}:${location}: ${diagnostic.severity}: ${message}\n`);
  }
  return file.diagnostics.some((diagnostic) => diagnostic.severity === 'error') ? 1 : 0;
}

const PARSE_OPTIONS = {
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function readArguments(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: PARSE_OPTIONS, allowPositionals: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const names = Object.keys(PARSE_OPTIONS);
    throw new UsageError(unknownFlagMessage(message, names) ?? message, 'parse', {
      cause: error,
    });
  }
}

/** The typed instructions and stages as JSON, without the syntax nodes each one carries. */
function toJson(file: {
  escape: string;
  directives: unknown;
  stages: unknown;
  globalArgs: unknown;
  diagnostics: unknown;
}) {
  const { directives, globalArgs, stages, diagnostics } = file;
  const fields = { escape: file.escape, directives, globalArgs, stages, diagnostics };
  return JSON.stringify(fields, dropSyntax, 2);
}

function dropSyntax(key: string, value: unknown): unknown {
  return key === 'syntax' ? undefined : value;
}

async function readDockerfile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Cannot read the Dockerfile ${JSON.stringify(path)}: ${reason}; check the path, or pass - to read standard input`,
      { cause: error },
    );
  }
}

async function readStandardInput(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
