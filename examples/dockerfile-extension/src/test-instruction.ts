/**
 * An example extension of the Dockerfile grammar: a `TEST` instruction that
 * names a command to run against the built stage, and a `--sbom` flag on COPY
 * that marks copied files for a software bill of materials.
 */
import {
  createDockerfileParser,
  type DockerfileParser,
  type InstructionNode,
  type OtherInstruction,
} from '@gantry/dockerfile';

/** The typed data of a TEST instruction. */
export interface TestCommand {
  /** `exec` for a JSON array, `shell` for a command line. */
  readonly form: 'exec' | 'shell';
  readonly command: readonly string[];
  /** Seconds from `--timeout=SECONDS`, when given. */
  readonly timeoutSeconds: number | undefined;
}

/** Creates a parser that reads TEST and COPY --sbom. */
export function createTestParser(): DockerfileParser {
  return createDockerfileParser({
    instructions: [{ name: 'TEST', arguments: 'exec-or-shell', type: readTestCommand }],
    flags: [
      { instruction: 'TEST', name: 'timeout', parse: parseSeconds },
      { instruction: 'COPY', name: 'sbom', parse: parseBoolean },
    ],
  });
}

/** Returns the TEST commands of a parsed file in order. */
export function testCommands(instructions: readonly { kind: string }[]): TestCommand[] {
  return instructions
    .filter((instruction): instruction is OtherInstruction => instruction.kind === 'other')
    .filter((instruction) => instruction.name === 'TEST')
    .map((instruction) => instruction.data as TestCommand);
}

function readTestCommand(syntax: InstructionNode): TestCommand {
  const timeout = syntax.flags.find((flag) => flag.name === 'timeout');
  return {
    form: syntax.form === 'exec' ? 'exec' : 'shell',
    command: syntax.arguments.map((argument) => argument.value),
    // An invalid value is reported through the flag parser below, so it is left out here.
    timeoutSeconds: isSeconds(timeout?.value) ? Number(timeout?.value) : undefined,
  };
}

function isSeconds(value: string | undefined): boolean {
  const seconds = Number(value);
  return value !== undefined && Number.isInteger(seconds) && seconds > 0;
}

function parseSeconds(value: string | undefined): number {
  if (!isSeconds(value)) {
    throw new Error(
      `expected a whole number of seconds such as --timeout=30, got ${JSON.stringify(value)}`,
    );
  }
  return Number(value);
}

function parseBoolean(value: string | undefined): boolean {
  if (value === undefined || value === 'true') return true;
  if (value === 'false') return false;
  throw new Error(`expected true or false, got ${JSON.stringify(value)}`);
}
