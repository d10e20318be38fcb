/**
 * Stages of a Dockerfile: the global ARGs before the first FROM, each stage
 * with its name, base and instructions, and the references between stages
 * through FROM, COPY --from and RUN --mount=from=.
 */

import type { Mount } from '../flags/index.js';
import { report } from '../instructions/typed-flags.js';
import type {
  ArgInstruction,
  FromInstruction,
  InstructionFlag,
  TypedInstruction,
} from '../instructions/types.js';
import type { Diagnostic, Range } from '../syntax/nodes.js';

/** The instruction through which one stage refers to another. */
export type ReferenceKind = 'from' | 'copy-from' | 'mount-from';

/**
 * A reference to a stage or an image. `stage` is the index of the stage it
 * names, or undefined when the name is an image reference.
 */
export interface StageReference {
  readonly kind: ReferenceKind;
  /** The stage name, index or image as written. */
  readonly target: string;
  readonly stage: number | undefined;
  readonly range: Range;
}

/** One build stage. */
export interface Stage {
  readonly index: number;
  /** Name after `AS`, lower case. */
  readonly name: string | undefined;
  /** The base image or stage name as written. */
  readonly base: string;
  /** Index of the stage this one starts from, when FROM names an earlier stage. */
  readonly baseStage: number | undefined;
  readonly platform: InstructionFlag | undefined;
  readonly from: FromInstruction;
  /** Instructions after FROM, up to the next FROM. */
  readonly instructions: TypedInstruction[];
  readonly references: StageReference[];
}

/** Global ARGs and the stages in file order. */
export interface StageGraph {
  readonly globalArgs: ArgInstruction[];
  readonly stages: Stage[];
}

/** Groups typed instructions into stages and resolves stage references. */
export function buildStages(
  instructions: readonly TypedInstruction[],
  diagnostics: Diagnostic[],
): StageGraph {
  const graph: StageGraph = { globalArgs: [], stages: [] };
  for (const instruction of instructions) {
    const current = graph.stages[graph.stages.length - 1];
    if (instruction.kind === 'from') {
      graph.stages.push(startStage(instruction, graph.stages, diagnostics));
    } else if (current !== undefined) {
      current.instructions.push(instruction);
      current.references.push(...referencesOf(instruction, graph.stages, current.index));
    } else if (instruction.kind === 'arg') {
      graph.globalArgs.push(instruction);
    } else {
      report(
        diagnostics,
        'instruction-before-from',
        `${instruction.name} comes before the first FROM; only ARG may come before FROM, so start the stage with FROM image`,
        instruction.syntax.keyword.range,
      );
    }
  }
  return graph;
}

function startStage(
  from: FromInstruction,
  stages: readonly Stage[],
  diagnostics: Diagnostic[],
): Stage {
  const index = stages.length;
  const name = from.stageName;
  if (name !== undefined && stages.some((stage) => stage.name === name)) {
    report(
      diagnostics,
      'duplicate-stage-name',
      `stage name ${JSON.stringify(name)} is already used by an earlier stage; choose another name`,
      from.syntax.range,
    );
  }
  const baseStage = findStage(stages, from.image, index, false);
  const references: StageReference[] = [];
  if (baseStage !== undefined) {
    references.push({
      kind: 'from',
      target: from.image,
      stage: baseStage,
      range: from.syntax.arguments[0]?.range ?? from.range,
    });
  }
  return {
    index,
    name,
    base: from.image,
    baseStage,
    platform: from.platform,
    from,
    instructions: [],
    references,
  };
}

/** Index of the earlier stage named `target` (by name, or by number when allowed). */
export function findStage(
  stages: readonly Stage[],
  target: string,
  before: number,
  byIndex: boolean,
): number | undefined {
  const lower = target.toLowerCase();
  const named = stages.find((stage) => stage.index < before && stage.name === lower);
  if (named !== undefined) return named.index;
  if (byIndex && /^\d+$/.test(target)) {
    const index = Number(target);
    return index < before ? index : undefined;
  }
  return undefined;
}

function referencesOf(
  instruction: TypedInstruction,
  stages: readonly Stage[],
  current: number,
): StageReference[] {
  if (instruction.kind === 'copy' && instruction.from?.text !== undefined) {
    const target = instruction.from.text;
    const stage = findStage(stages, target, current, true);
    return [{ kind: 'copy-from', target, stage, range: instruction.from.syntax.range }];
  }
  if (instruction.kind === 'run')
    return instruction.mounts.flatMap((mount) => mountReference(mount, stages, current));
  return [];
}

/**
 * Returns the stage reference of a `--mount` that has `from=`.
 */
function mountReference(
  mount: InstructionFlag,
  stages: readonly Stage[],
  current: number,
): StageReference[] {
  const target = mountSource(mount);
  if (target === undefined) return [];
  const stage = findStage(stages, target, current, true);
  return [{ kind: 'mount-from', target, stage, range: mount.syntax.range }];
}

/**
 * Reads `from=` of a `--mount` value: from the typed mount when it was parsed,
 * else from the text.
 * NOTE: the text is split on commas without CSV quoting, so for a mount that
 * could not be typed a quoted comma inside another option is misread.
 */
function mountSource(mount: InstructionFlag): string | undefined {
  if (mount.status === 'parsed') return (mount.value as Mount).from;
  const option = (mount.text ?? '').split(',').find((part) => part.startsWith('from='));
  return option?.slice('from='.length);
}
