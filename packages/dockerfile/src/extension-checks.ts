/**
 * Checks of the instructions and flags given to `createDockerfileParser`. A
 * misuse throws `DockerfileExtensionError` at once, before any parse.
 */
import { DockerfileExtensionError } from './errors.js';
import type { FlagExtension, InstructionExtension } from './extension.js';
import { flagsOf } from './flags/table.js';
import { BUILTIN_INSTRUCTIONS } from './syntax/instruction-table.js';
import { ARGUMENT_RULES } from './syntax/read-arguments.js';

/** Words of ASCII letters, digits, `_` and `-`, each starting with a letter, one space apart. */
const INSTRUCTION_NAME = /^[A-Za-z][\w-]*( [A-Za-z][\w-]*)*$/;

/** ASCII letters, digits, `_` and `-`, starting with a letter, without the leading `--`. */
const FLAG_NAME = /^[A-Za-z][\w-]*$/;

const BUILTIN_NAMES: ReadonlySet<string> = new Set(BUILTIN_INSTRUCTIONS.map((spec) => spec.name));

/** Checks the added instructions and throws `DockerfileExtensionError` on the first misuse. */
export function checkInstructions(instructions: readonly InstructionExtension[]): void {
  const seen = new Set<string>();
  for (const spec of instructions) {
    checkInstructionName(spec.name);
    const name = spec.name.toUpperCase();
    if (BUILTIN_NAMES.has(name)) {
      reject(`${name} is built in: choose another name for the added instruction`, spec.name);
    }
    if (seen.has(name)) reject(`instruction ${name} is added twice: keep one`, spec.name);
    seen.add(name);
    checkArgumentRule(name, spec.arguments);
  }
}

/**
 * Checks the added flags against the instructions the parser reads, given in
 * upper case, and throws `DockerfileExtensionError` on the first misuse.
 */
export function checkFlags(
  flags: readonly FlagExtension[],
  instructions: ReadonlySet<string>,
): void {
  const seen = new Set<string>();
  for (const flag of flags) {
    const instruction = flag.instruction.toUpperCase();
    checkFlagName(flag.name, instruction);
    if (!instructions.has(instruction)) {
      const message = `cannot add --${flag.name} to ${instruction}, because this parser reads no such instruction. Add ${instruction} under instructions first, or name a Dockerfile instruction such as COPY`;
      reject(message, flag.instruction);
    }
    if (flagsOf(instruction).includes(flag.name)) {
      reject(`--${flag.name} is built into ${instruction}: choose another flag name`, flag.name);
    }
    const key = `${instruction} ${flag.name}`;
    if (seen.has(key)) {
      reject(`--${flag.name} is added twice to ${instruction}: keep one`, flag.name);
    }
    seen.add(key);
  }
}

function checkInstructionName(name: string): void {
  if (INSTRUCTION_NAME.test(name)) return;
  reject(
    `invalid instruction name ${JSON.stringify(name)}: use ASCII letters, digits, '_' and '-', starting with a letter (words may be one space apart), for example TEST`,
    name,
  );
}

function checkArgumentRule(name: string, rule: string): void {
  if (ARGUMENT_RULES.includes(rule)) return;
  reject(
    `invalid argument rule ${JSON.stringify(rule)} for ${name}: use one of ${ARGUMENT_RULES.join(', ')}`,
    rule,
  );
}

function checkFlagName(name: string, instruction: string): void {
  if (FLAG_NAME.test(name)) return;
  const bare = name.replace(/^-+/, '');
  const example = FLAG_NAME.test(bare) ? bare : 'sbom';
  reject(
    `invalid flag name ${JSON.stringify(name)} for ${instruction}: write the name without the leading --, with ASCII letters, digits, '_' and '-', as in ${example}`,
    name,
  );
}

function reject(message: string, value: string): never {
  throw new DockerfileExtensionError(message, value);
}
