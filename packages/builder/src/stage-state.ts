/** State a stage carries from step to step: the current image, its config and the ARGs in scope. */
import type { ImageConfig } from '@gantry/daemon';
import { expandWord, expandWords } from '@gantry/dockerfile';
import { environmentOf } from './image-config.js';
import type { StageArgs } from './variables.js';

/** The state of a stage between steps. */
export interface StageState {
  /** Id of the image the next step starts from. */
  imageId: string;
  /** Config of that image, as the next step starts from it. */
  config: ImageConfig;
  /** ARGs in scope. */
  readonly args: StageArgs;
  /** Escape character of the Dockerfile. */
  readonly escape: '\\' | '`';
  /** MAINTAINER of the stage, stored as the image's `Author`. */
  author: string | undefined;
  /** Whether a CMD of this stage set `Cmd` (ENTRYPOINT clears an inherited one otherwise). */
  cmdSet: boolean;
  /** `os/arch` of the base image, for cache keys. */
  readonly platform: string;
}

/** Snapshot of a stage's state between steps, for {@link restoreState}. */
export interface StateSnapshot {
  readonly imageId: string;
  readonly config: ImageConfig;
  readonly author: string | undefined;
  readonly cmdSet: boolean;
  readonly args: ReadonlyMap<string, string | undefined>;
}

/**
 * Records the state between steps. Steps replace `config` rather than change
 * it, so the snapshot keeps the object itself.
 */
export function snapshotState(state: StageState): StateSnapshot {
  const { imageId, config, author, cmdSet } = state;
  return { imageId, config, author, cmdSet, args: state.args.snapshot() };
}

/** Puts the state back to a {@link snapshotState}. */
export function restoreState(state: StageState, snapshot: StateSnapshot): void {
  state.imageId = snapshot.imageId;
  state.config = snapshot.config;
  state.author = snapshot.author;
  state.cmdSet = snapshot.cmdSet;
  state.args.restore(snapshot.args);
}

/** Variables an instruction expands with: `Env`, then the ARGs in scope that no ENV shadows. */
export function expansionEnvironment(state: StageState): Map<string, string> {
  const environment = environmentOf(state.config);
  for (const [key, value] of state.args.allowed(environment)) environment.set(key, value);
  return environment;
}

/** Expands one word of an instruction with the stage's variables. */
export function expandInState(state: StageState, word: string): string {
  return expandWord(word, { env: expansionEnvironment(state), escape: state.escape }).value;
}

/** Expands a word into a word list, as EXPOSE does, with the stage's variables. */
export function expandListInState(state: StageState, word: string): string[] {
  return [...expandWords(word, { env: expansionEnvironment(state), escape: state.escape }).words];
}
