/**
 * The build events that gantry's builder emits, one object per thing that
 * happens during a build. Every event is plain JSON data (numbers, strings,
 * booleans, arrays and objects), so it survives `JSON.stringify` and
 * `JSON.parse` unchanged and can travel over HTTP as NDJSON.
 */

/**
 * Version of the event schema that this package writes and reads. It changes
 * when a field is removed or its meaning changes; new optional fields keep it.
 */
export const BUILD_EVENT_SCHEMA_VERSION = 1;

/** Zero-based position in a Dockerfile, as the language server protocol counts. */
export interface SourcePosition {
  /** Zero-based line. */
  line: number;
  /** Zero-based character within the line. */
  character: number;
}

/** Range of Dockerfile text that an event refers to, end exclusive. */
export interface SourceRange {
  start: SourcePosition;
  end: SourcePosition;
}

/** Fields that every event carries. */
export interface BuildEventBase {
  /** Schema version, always {@link BUILD_EVENT_SCHEMA_VERSION}. */
  version: typeof BUILD_EVENT_SCHEMA_VERSION;
  /** Time of the event in milliseconds since the Unix epoch. */
  time: number;
}

/** The build begins: the context is known and the steps are counted. */
export interface BuildStartEvent extends BuildEventBase {
  type: 'build-start';
  /** Bytes of build context sent to the engine; omitted when none is sent. */
  contextSize?: number;
  /** Number of steps the build runs, across every stage it needs. */
  steps: number;
  /** Number of stages the build runs. */
  stages: number;
}

/** A step begins. `step` identifies the step in every later event. */
export interface StepStartEvent extends BuildEventBase {
  type: 'step-start';
  /** One-based index of the step across the build, as in `Step 2/8`. */
  step: number;
  /** Number of steps in the build. */
  steps: number;
  /** Zero-based index of the stage the step belongs to. */
  stage: number;
  /** Name of the stage (`FROM ... AS name`), when it has one. */
  stageName?: string;
  /** One-based index of the step within its stage, FROM included. */
  stageStep: number;
  /** Number of steps in the stage, FROM included. */
  stageSteps: number;
  /** The instruction as written, continuations joined, as the engine prints it. */
  instruction: string;
  /** Source range of the instruction in the Dockerfile. */
  range?: SourceRange;
}

/**
 * The step's base image has ONBUILD triggers, which run now, before the rest
 * of the build. Their containers and output follow as events of this step.
 */
export interface StepTriggersEvent extends BuildEventBase {
  type: 'step-triggers';
  step: number;
  /** Number of ONBUILD triggers that run. */
  count: number;
}

/** The step's result is reused from the cache. */
export interface StepCacheHitEvent extends BuildEventBase {
  type: 'step-cache-hit';
  step: number;
}

/** Reason a step could not reuse a cached image. */
export type CacheMissCode =
  | 'cache-disabled'
  | 'no-entry'
  | 'image-removed'
  | 'parent-changed'
  | 'source-changed'
  | 'builder-changed'
  | 'not-cacheable';

/** The step has no usable cached result and runs. */
export interface StepCacheMissEvent extends BuildEventBase {
  type: 'step-cache-miss';
  step: number;
  /** Stable reason code for tools. */
  code: CacheMissCode;
  /** The reason in plain words, for people (for example `--no-cache is set`). */
  reason: string;
}

/**
 * Purpose of a step's container. The classic builder announces `run` and
 * `commit` containers (` ---> Running in <id>`) but not `copy` ones.
 */
export type ContainerPurpose = 'run' | 'commit' | 'copy';

/** The builder created a container for a step. */
export interface ContainerCreatedEvent extends BuildEventBase {
  type: 'container-created';
  step: number;
  /** Container id as the engine returns it (64 hex digits). */
  containerId: string;
  purpose: ContainerPurpose;
}

/** Encoding of the `data` of an output event. */
export type OutputEncoding = 'utf-8' | 'base64';

/**
 * A chunk of a step's output, as the container wrote it. Text that is valid
 * UTF-8 travels as is (`encoding: 'utf-8'`); other bytes travel as base64.
 */
export interface OutputEvent extends BuildEventBase {
  type: 'output';
  step: number;
  stream: 'stdout' | 'stderr';
  data: string;
  encoding: OutputEncoding;
}

/** The builder removed a step's container. */
export interface ContainerRemovedEvent extends BuildEventBase {
  type: 'container-removed';
  step: number;
  containerId: string;
  purpose: ContainerPurpose;
}

/** A step finished and produced an image. */
export interface StepDoneEvent extends BuildEventBase {
  type: 'step-done';
  step: number;
  /** Image id with its algorithm (`sha256:` and 64 hex digits). */
  imageId: string;
  /** Time the step took in milliseconds. */
  durationMs: number;
}

/** Something the user should know that does not stop the build. */
export interface WarningEvent extends BuildEventBase {
  type: 'warning';
  message: string;
  /** The step the warning is about, when there is one. */
  step?: number;
  /** Stable rule id, for example `UnusedBuildArg`. */
  rule?: string;
  range?: SourceRange;
  /**
   * The instruction the warning is about, continuations joined, as the
   * engine prints it. The classic renderer words a `NoEmptyContinuation`
   * warning with it.
   */
  instruction?: string;
}

/**
 * One status message of a base image pull, in the engine's words: the
 * `status`, `id`, `progressDetail` and `progress` fields of its JSON stream.
 */
export interface PullProgressEvent extends BuildEventBase {
  type: 'pull-progress';
  /** The step that pulls, when the pull belongs to one (a FROM step). */
  step?: number;
  /** The image reference being pulled, as the Dockerfile names it. */
  image: string;
  /** Status such as `Pulling fs layer`, `Downloading` or `Pull complete`. */
  status: string;
  /** Layer id, or the tag for `Pulling from ...`, when the status is about one. */
  id?: string;
  /** Bytes done so far, for statuses with a progress bar. */
  current?: number;
  /** Bytes in all, for statuses with a progress bar. */
  total?: number;
  /** The engine's text progress bar, such as `[==>   ]  3.6kB/300kB`. */
  progress?: string;
}

/** The build finished and produced its final image. */
export interface BuildDoneEvent extends BuildEventBase {
  type: 'build-done';
  /** Image id with its algorithm (`sha256:` and 64 hex digits). */
  imageId: string;
  /** Tags applied to the image, as given with `-t`. */
  tags: string[];
  /** Time the whole build took in milliseconds. */
  durationMs: number;
}

/** The build failed. No event follows. */
export interface BuildErrorEvent extends BuildEventBase {
  type: 'build-error';
  /** Failure in plain words. */
  message: string;
  /**
   * Stable code of the failure for tools: the error's own (`ERR_STEP_FAILED`,
   * `ERR_COPY_SOURCE`, `ERR_ENGINE_UNREACHABLE`...), or `ERR_CANCELLED` when
   * the build was cancelled. Absent for an error without a code.
   */
  code?: string;
  /** The step that failed, when a step did. */
  step?: number;
  /** Exit code of the failed command, for a failing RUN. */
  exitCode?: number;
  /**
   * The failed command as the engine ran it (`['/bin/sh', '-c', 'false']`).
   * With `exitCode`, renderers word the error as their reference tool does.
   */
  command?: string[];
  range?: SourceRange;
}

/** Any build event. */
export type BuildEvent =
  | BuildStartEvent
  | StepStartEvent
  | StepTriggersEvent
  | StepCacheHitEvent
  | StepCacheMissEvent
  | ContainerCreatedEvent
  | OutputEvent
  | ContainerRemovedEvent
  | StepDoneEvent
  | WarningEvent
  | PullProgressEvent
  | BuildDoneEvent
  | BuildErrorEvent;

/** The `type` of any build event. */
export type BuildEventType = BuildEvent['type'];
