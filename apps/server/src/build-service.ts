/** The builds of one server: admission, context upload, the run, and the records kept after. */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from '@gantry/builder';
import { BUILD_EVENT_SCHEMA_VERSION } from '@gantry/log-format';
import type { Logger } from 'pino';
import type { BuildRequest } from './build-query.js';
import type { BuildQueue, QueueTicket } from './build-queue.js';
import { BuildRecord } from './build-record.js';
import { resolveDockerfile } from './dockerfile-path.js';
import { ServerError } from './errors.js';
import { redactValues } from './logger.js';
import type { BuildOutcome, ServerMetrics } from './metrics.js';
import type { ResolvedOptions } from './options.js';
import { receiveContext } from './receive-context.js';

/** Options of {@link BuildService.submit}. */
export interface SubmitOptions {
  readonly request: BuildRequest;
  /** The request, whose body is the build context as a tar stream. */
  readonly body: IncomingMessage;
  /** Aborts when the client goes away. */
  readonly clientSignal: AbortSignal;
  /**
   * Whether the client going away cancels the build only while the context
   * arrives (an API client that polls later) rather than until the build ends
   * (the docker CLI, which reads the log).
   */
  readonly detachAfterUpload: boolean;
}

/** Parts of the server a {@link BuildService} uses. */
export interface BuildServiceParts {
  readonly options: ResolvedOptions;
  readonly queue: BuildQueue;
  readonly metrics: ServerMetrics;
  readonly logger: Logger;
}

/** A build's extracted context and options. */
interface BuildInput {
  readonly folder: string;
  /** Absolute path of the Dockerfile inside `folder`. */
  readonly dockerfile: string;
  readonly request: BuildRequest;
}

/** Runs the server's builds and keeps their records. */
export class BuildService {
  readonly #parts: BuildServiceParts;
  readonly #records = new Map<string, BuildRecord>();
  readonly #running = new Set<Promise<void>>();

  constructor(parts: BuildServiceParts) {
    this.#parts = parts;
  }

  /** Returns the build of `id`, if the server still keeps it. */
  get(id: string): BuildRecord | undefined {
    return this.#records.get(id);
  }

  /** Lists every kept build, newest first. */
  list(): BuildRecord[] {
    return [...this.#records.values()].reverse();
  }

  /**
   * Admits a build, reads its context and starts it; resolves once the
   * build is started or waits for a run slot, with its record.
   *
   * @throws {ServerError} `ERR_TOO_MANY_BUILDS` before reading anything,
   * `ERR_CONTEXT_TOO_LARGE` or `ERR_INVALID_CONTEXT` while reading the context.
   */
  async submit(submit: SubmitOptions): Promise<BuildRecord> {
    const ticket = this.#parts.queue.admit();
    const record = new BuildRecord(
      newBuildId(),
      submit.request.tags,
      this.#parts.options.maxKeptOutputBytes,
    );
    this.#records.set(record.id, record);
    const stopFollowing = cancelWhenAborted(record, submit.clientSignal);
    this.#parts.logger.info(
      { buildId: record.id, tags: record.tags, buildArgs: Object.keys(submit.request.buildArgs) },
      'build queued',
    );
    let folder: string | undefined;
    let dockerfile: string;
    try {
      folder = await mkdtemp(join(this.#parts.options.workDir ?? tmpdir(), 'gantry-context-'));
      await this.#receive(submit, record, folder);
      dockerfile = await resolveDockerfile(folder, submit.request.dockerfile);
    } catch (error) {
      stopFollowing();
      await this.#end(record, ticket, folder, error, submit.request);
      throw error;
    }
    if (submit.detachAfterUpload) stopFollowing();
    const run = this.#run(record, ticket, { folder, dockerfile, request: submit.request });
    this.#track(run.finally(stopFollowing));
    return record;
  }

  /**
   * Cancels a build that has not ended: its running container is killed and
   * what it made is removed. Returns false when the build had ended.
   */
  cancel(record: BuildRecord, reason: ServerError): boolean {
    if (record.finished) return false;
    record.controller.abort(reason);
    return true;
  }

  /** Cancels every build that has not ended and waits for their clean-up. */
  async stop(): Promise<void> {
    const reason = new ServerError('ERR_SERVER_STOPPING', 'The server is stopping.');
    for (const record of this.#records.values()) this.cancel(record, reason);
    await Promise.allSettled([...this.#running]);
  }

  async #receive(submit: SubmitOptions, record: BuildRecord, folder: string): Promise<void> {
    await receiveContext(submit.body, {
      folder,
      maxBytes: this.#parts.options.maxContextBytes,
      declaredBytes: declaredLength(submit.body),
      signal: record.controller.signal,
    });
  }

  async #run(record: BuildRecord, ticket: QueueTicket, input: BuildInput): Promise<void> {
    const { logger, metrics, options } = this.#parts;
    const { folder, dockerfile, request } = input;
    try {
      await ticket.start(record.controller.signal);
      record.markRunning();
      logger.info({ buildId: record.id }, 'build started');
      await build({
        contextDir: folder,
        dockerfile,
        cacheScope: cacheScopeOf(request),
        tags: request.tags,
        buildArgs: request.buildArgs,
        labels: request.labels,
        target: request.target,
        noCache: request.noCache,
        keepContainers: request.keepContainers,
        runContainer: request.runContainer,
        platform: request.platform,
        networkMode: request.networkMode,
        pull: request.pull,
        signal: record.controller.signal,
        cache: options.cache,
        onEvent: (event) => {
          metrics.observeEvent(event);
          record.push(event);
        },
        waitForOutputReaders: () => record.waitForPacedReaders(),
      });
      await this.#end(record, ticket, folder, undefined, request);
    } catch (error) {
      await this.#end(record, ticket, folder, error, request);
    }
  }

  async #end(
    record: BuildRecord,
    ticket: QueueTicket,
    folder: string | undefined,
    error: unknown,
    request: BuildRequest,
  ): Promise<void> {
    const state = outcomeOf(record, error);
    const message =
      error === undefined ? undefined : redactValues(messageOf(error), request.buildArgs);
    if (message !== undefined) addErrorEvent(record, message);
    const finishedAt = this.#report(record, state, message);
    record.finish(state, message, finishedAt);
    // The next build may start while this one's context folder is removed.
    ticket.release();
    if (folder !== undefined) await rm(folder, { recursive: true, force: true });
    this.#forgetOldBuilds();
  }

  /**
   * Counts and logs a build's end; returns the end time. It runs before the
   * record ends, because a client may read the metrics as soon as its stream ends.
   */
  #report(record: BuildRecord, state: BuildOutcome, message: string | undefined): number {
    const { startedAt, imageId } = record.summary();
    const finishedAt = Date.now();
    const durationMs = startedAt === undefined ? undefined : finishedAt - startedAt;
    this.#parts.metrics.observeBuild(state, durationMs);
    const fields = { buildId: record.id, state, durationMs, imageId, error: message };
    if (state === 'failed') this.#parts.logger.warn(fields, 'build failed');
    else this.#parts.logger.info(fields, `build ${state}`);
    return finishedAt;
  }

  #track(run: Promise<void>): void {
    this.#running.add(run);
    run.finally(() => this.#running.delete(run)).catch(() => {});
  }

  /** Drops the oldest finished builds past the retention limit. */
  #forgetOldBuilds(): void {
    let excess = this.#records.size - this.#parts.options.maxRetainedBuilds;
    for (const [id, record] of this.#records) {
      if (excess <= 0) return;
      if (!record.finished) continue;
      this.#records.delete(id);
      excess--;
    }
  }
}

function declaredLength(body: IncomingMessage): number | undefined {
  const header = body.headers['content-length'];
  return header === undefined ? undefined : Number(header);
}

function newBuildId(): string {
  return randomBytes(8).toString('hex');
}

function cancelWhenAborted(record: BuildRecord, signal: AbortSignal): () => void {
  const onAbort = () => {
    record.controller.abort(
      new ServerError(
        'ERR_CLIENT_CLOSED',
        'The client closed the connection; the build was cancelled.',
      ),
    );
  };
  if (signal.aborted) onAbort();
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

/** Sends a `build-error` event for a failure before the first step, such as a missing Dockerfile. */
function addErrorEvent(record: BuildRecord, message: string): void {
  if (record.hasBuildError) return;
  record.push({
    type: 'build-error',
    version: BUILD_EVENT_SCHEMA_VERSION,
    time: Date.now(),
    message,
  });
}

function outcomeOf(record: BuildRecord, error: unknown): BuildOutcome {
  if (error === undefined) return 'succeeded';
  return record.controller.signal.aborted ? 'cancelled' : 'failed';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Names a tagged build for cache-miss explanations: every build extracts its
 * context into a new folder, so the first tag and the Dockerfile path stand
 * for the project. An untagged build keeps the builder's default.
 */
function cacheScopeOf(request: BuildRequest): string | undefined {
  const [tag] = request.tags;
  return tag === undefined ? undefined : `gantry-server:${tag}:${request.dockerfile}`;
}
