import type { Readable } from 'node:stream';
import type { EngineClient } from './engine-client.js';
import { type JsonMessage, jsonMessages } from './engine-stream.js';
import type { CallOptions } from './engine-types.js';
import { log } from './log.js';

/** Options of {@link BuildsApi.classic}, named after `docker build`'s flags. */
export interface ClassicBuildOptions extends CallOptions {
  /** Build context as a tar stream, gzip-compressed or not. */
  context: Readable;
  /** Path of the Dockerfile inside the context; default `Dockerfile`. */
  dockerfile?: string;
  /** References to tag the result with (`-t`). */
  tags?: string[];
  /** Build arguments (`--build-arg`). */
  buildArgs?: Record<string, string>;
  /** Labels of the result (`--label`). */
  labels?: Record<string, string>;
  /** Stage to stop at (`--target`). */
  target?: string;
  /** Skip the build cache (`--no-cache`). */
  noCache?: boolean;
  /** Always pull a newer base image (`--pull`). */
  pull?: boolean;
  /** Remove intermediate containers after a successful step (`--rm`); default `true`. */
  remove?: boolean;
  /**
   * Remove intermediate containers after a failed step too (`--force-rm`);
   * default `true`, unlike `docker build`, so that a failed build leaves no
   * container behind.
   */
  forceRemove?: boolean;
  /** Network of RUN steps (`--network`): `default`, `host`, `none` or a network name. */
  networkMode?: string;
  /** Print only the image id (`-q`). */
  quiet?: boolean;
}

/** One message of the classic builder's JSON stream. */
export type BuildMessage =
  | { kind: 'stream'; text: string }
  | { kind: 'aux'; imageId: string }
  | { kind: 'status'; status: string; id?: string; progress?: string }
  | { kind: 'error'; message: string; code?: number };

/** Result of a whole build, gathered by {@link collectBuild}. */
export interface BuildOutcome {
  /** Id of the built image, when the build succeeded. */
  imageId?: string;
  /** Text of all `stream` messages: the classic builder's log, as `docker build` prints it. */
  log: string;
  /** Failure the engine reported, if any. */
  error?: { message: string; code?: number };
}

/** Builds run by the engine itself. */
export interface BuildsApi {
  /**
   * Runs the engine's classic builder (`POST /build?version=1`) and yields its
   * messages. A failing step is an `error` message, not an exception; the
   * iterator throws only when the request itself fails.
   */
  classic(options: ClassicBuildOptions): AsyncGenerator<BuildMessage>;
}

/** {@link BuildsApi} on dockerode. */
export class DockerBuilds implements BuildsApi {
  readonly #client: EngineClient;

  constructor(client: EngineClient) {
    this.#client = client;
  }

  async *classic(options: ClassicBuildOptions): AsyncGenerator<BuildMessage> {
    const { context: archive, signal } = options;
    const context = { operation: 'run the classic build', signal };
    const { docker } = this.#client;
    const stream = (await this.#client.write(context, () =>
      docker.buildImage(archive, buildQuery(options)),
    )) as Readable;
    for await (const message of jsonMessages(this.#client, stream, context)) {
      const typed = buildMessage(message);
      if (typed !== undefined) yield typed;
    }
  }
}

/**
 * Consumes a build's messages and returns the image id, the log and the error.
 *
 * @example const { imageId, log } = await collectBuild(engine.builds.classic({ context }));
 */
export async function collectBuild(messages: AsyncIterable<BuildMessage>): Promise<BuildOutcome> {
  let text = '';
  const outcome: BuildOutcome = { log: '' };
  for await (const message of messages) {
    if (message.kind === 'stream') text += message.text;
    if (message.kind === 'aux') outcome.imageId = message.imageId;
    if (message.kind === 'error') outcome.error = errorOf(message);
  }
  outcome.log = text;
  if (outcome.error !== undefined) delete outcome.imageId;
  log('classic build finished with %s', outcome.imageId ?? outcome.error?.message);
  return outcome;
}

function buildQuery(options: ClassicBuildOptions): Record<string, unknown> {
  const query: Record<string, unknown> = {
    version: '1',
    rm: options.remove ?? true,
    forcerm: options.forceRemove ?? true,
    nocache: options.noCache ?? false,
    pull: options.pull ?? false,
    q: options.quiet ?? false,
    abortSignal: options.signal,
  };
  if (options.dockerfile !== undefined) query.dockerfile = options.dockerfile;
  if (options.tags !== undefined) query.t = options.tags;
  if (options.buildArgs !== undefined) query.buildargs = options.buildArgs;
  if (options.labels !== undefined) query.labels = options.labels;
  if (options.target !== undefined) query.target = options.target;
  if (options.networkMode !== undefined) query.networkmode = options.networkMode;
  return query;
}

function buildMessage(message: JsonMessage): BuildMessage | undefined {
  if (message.error !== undefined || message.errorDetail !== undefined) {
    const text = message.errorDetail?.message ?? message.error ?? 'unknown error';
    const code = message.errorDetail?.code;
    return code === undefined
      ? { kind: 'error', message: text }
      : { kind: 'error', message: text, code };
  }
  if (message.stream !== undefined) return { kind: 'stream', text: message.stream };
  if (typeof message.aux?.ID === 'string') return { kind: 'aux', imageId: message.aux.ID };
  if (message.status !== undefined) return statusMessage(message);
  return undefined;
}

function statusMessage(message: JsonMessage): BuildMessage {
  const status: BuildMessage = { kind: 'status', status: message.status ?? '' };
  if (message.id !== undefined) status.id = message.id;
  if (message.progress !== undefined) status.progress = message.progress;
  return status;
}

function errorOf(message: Extract<BuildMessage, { kind: 'error' }>): BuildOutcome['error'] {
  return message.code === undefined
    ? { message: message.message }
    : { message: message.message, code: message.code };
}
