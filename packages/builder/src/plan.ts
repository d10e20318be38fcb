/** The build plan: the parsed Dockerfile, the stages the target needs and every step numbered. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertContextFolder } from '@gantry/cache';
import {
  type Dockerfile,
  DockerfileSyntaxError,
  parse,
  parseStrict,
  quoteWord,
  type Stage,
  type TypedInstruction,
} from '@gantry/dockerfile';
import { BuildError } from './errors.js';
import type { BuildOptions } from './options.js';
import type { PlannedStep } from './session.js';

/** A step of a stage with its instruction. */
export interface PlannedInstruction {
  readonly step: PlannedStep;
  readonly instruction: TypedInstruction;
}

/** A stage the build runs. */
export interface StagePlan {
  readonly stage: Stage;
  /** Stage name, or its index as text: the stage part of step ids. */
  readonly key: string;
  /** The FROM step. */
  readonly from: PlannedStep;
  /** The steps after FROM. */
  readonly steps: readonly PlannedInstruction[];
}

/** Steps a build runs, in order. */
export interface BuildPlan {
  readonly file: Dockerfile;
  readonly stages: readonly StagePlan[];
  /** The global ARG steps, first in the log; empty when `globalArgSteps` is false. */
  readonly globalArgs: readonly PlannedStep[];
  /** Number of steps, global ARG steps included. */
  readonly steps: number;
}

/** Reads and parses the Dockerfile and plans the stages the target needs. */
export async function planBuild(options: BuildOptions): Promise<BuildPlan> {
  const file = parseDockerfile(await readDockerfile(options));
  const stages = neededStages(file, options.target);
  const extra = labelInstructions(options.labels);
  const globalArgs = options.globalArgSteps === false ? [] : globalArgSteps(file);
  let number = globalArgs.length;
  const plans = stages.map((stage, index): StagePlan => {
    const isTarget = index === stages.length - 1;
    const instructions = isTarget ? [...stage.instructions, ...extra] : stage.instructions;
    const total = instructions.length + 1;
    const place = (stageStep: number) => ({ stageStep, stageSteps: total, stage });
    const from = planStep(++number, place(1), stage.from);
    const steps = instructions.map((instruction, at) => {
      const step = planStep(++number, place(at + 2), instruction);
      // A --label step is not in the Dockerfile, so it has no range there.
      const isLabel = extra.includes(instruction);
      return { step: isLabel ? { ...step, range: undefined } : step, instruction };
    });
    return { stage, key: stage.name ?? String(stage.index), from, steps };
  });
  return { file, stages: plans, globalArgs, steps: number };
}

/** Numbers the global ARGs before the first FROM, which the classic builder counts as steps. */
function globalArgSteps(file: Dockerfile): PlannedStep[] {
  const count = file.globalArgs.length;
  return file.globalArgs.map((instruction, index) => ({
    number: index + 1,
    stageStep: index + 1,
    stageSteps: count,
    stage: 0,
    stageName: undefined,
    text: instruction.syntax.logicalText,
    range: instruction.range,
  }));
}

async function readDockerfile(options: BuildOptions): Promise<string> {
  if (options.dockerfileText !== undefined) return options.dockerfileText;
  const path = options.dockerfile ?? join(options.contextDir, 'Dockerfile');
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    // A missing context folder has no Dockerfile either, so the error names the folder.
    if (options.dockerfile === undefined) await assertContextFolder(options.contextDir);
    throw new BuildError(
      'ERR_DOCKERFILE',
      `Cannot read the Dockerfile ${JSON.stringify(path)}; pass its path with -f or add a Dockerfile to the context`,
      { cause: error },
    );
  }
}

function parseDockerfile(text: string): Dockerfile {
  try {
    const file = parseStrict(text);
    if (file.stages.length === 0) {
      throw new BuildError(
        'ERR_DOCKERFILE',
        'The Dockerfile has no FROM instruction; start it with FROM image',
      );
    }
    return file;
  } catch (error) {
    if (!(error instanceof DockerfileSyntaxError)) throw error;
    throw new BuildError('ERR_DOCKERFILE', `Dockerfile parse error: ${error.message}`, {
      cause: error,
    });
  }
}

/** The target stage and every stage it needs through FROM and COPY --from, in file order. */
export function neededStages(file: Dockerfile, target: string | undefined): Stage[] {
  const targetStage = findTarget(file, target);
  const needed = new Set<number>();
  const visit = (stage: Stage) => {
    if (needed.has(stage.index)) return;
    needed.add(stage.index);
    for (const reference of stage.references) {
      const referenced = reference.stage === undefined ? undefined : file.stages[reference.stage];
      if (referenced !== undefined) visit(referenced);
    }
  };
  visit(targetStage);
  return file.stages.filter((stage) => needed.has(stage.index));
}

function findTarget(file: Dockerfile, target: string | undefined): Stage {
  const last = file.stages[file.stages.length - 1];
  if (target === undefined || target === '') return last as Stage;
  const found = file.stages.find((stage) => stage.name === target.toLowerCase());
  if (found === undefined) {
    const names = file.stages.flatMap((stage) => (stage.name === undefined ? [] : [stage.name]));
    throw new BuildError(
      'ERR_TARGET_NOT_FOUND',
      `failed to reach build target ${target} in Dockerfile; the stages are named ${names.join(', ') || '(none)'}`,
    );
  }
  return found;
}

/**
 * The LABEL steps the classic builder appends for `--label`: one step per
 * label, sorted by key, as Engine 20.10's classic builder logs them
 * (`Step 5/6 : LABEL b=2`, `Step 6/6 : LABEL zz=1`). Values are quoted so
 * that nothing in them expands.
 */
function labelInstructions(
  labels: Readonly<Record<string, string>> | undefined,
): TypedInstruction[] {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.map((key) => labelInstruction(key, labels?.[key] ?? ''));
}

function labelInstruction(key: string, value: string): TypedInstruction {
  const instruction = parse(`LABEL ${quoteWord(key)}=${quoteWord(value)}\n`).instructions[0];
  if (instruction === undefined) {
    throw new BuildError('ERR_DOCKERFILE', `Cannot build the LABEL step of --label ${key}`);
  }
  const text = `LABEL ${key}=${value}`;
  return { ...instruction, syntax: { ...instruction.syntax, logicalText: text } };
}

interface StepPlace {
  readonly stageStep: number;
  readonly stageSteps: number;
  readonly stage: Stage;
}

function planStep(number: number, place: StepPlace, instruction: TypedInstruction): PlannedStep {
  return {
    number,
    stageStep: place.stageStep,
    stageSteps: place.stageSteps,
    stage: place.stage.index,
    stageName: place.stage.name,
    text: instruction.syntax.logicalText,
    range: instruction.range,
  };
}
