import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { ContainerOutput } from './container-output.js';
import type { EngineClient } from './engine-client.js';
import { bindSignal } from './engine-stream.js';
import type {
  CallOptions,
  ContainerConfig,
  ContainerInspect,
  ContainerSummary,
  ImageConfig,
} from './engine-types.js';
import { ConflictError, ContainerNotFoundError } from './errors.js';
import { log, shortId } from './log.js';

/** Options of {@link ContainersApi.create}. */
export interface CreateContainerOptions extends CallOptions {
  /** Container configuration; `Image` names the image to start from. */
  config: ContainerConfig;
  /** Container name; the engine picks one when omitted. */
  name?: string;
  /** Platform of the image, such as `linux/amd64`. */
  platform?: string;
}

/** A created container; `await using` removes it, forcibly, at the end of the scope. */
export interface ContainerHandle extends AsyncDisposable {
  /** Full container id. */
  readonly id: string;
  /** Removes the container, killing it if it runs; a container already gone is no error. */
  remove(): Promise<void>;
}

/** Options of {@link ContainersApi.attach}. */
export interface AttachOptions extends CallOptions {
  /** Set when the container was created with `Tty: true`: its output is one raw stream. */
  tty?: boolean;
}

/** Options of {@link ContainersApi.wait}. */
export interface WaitOptions extends CallOptions {
  /** When to return: `not-running` (default), `next-exit` or `removed`. */
  condition?: 'not-running' | 'next-exit' | 'removed';
}

/** Exit status of a container. */
export interface ContainerExit {
  /** Exit code of the main process; 137 after a kill. */
  exitCode: number;
  /** Engine's error while waiting, if it reported one. */
  error?: string;
}

/** Options of {@link ContainersApi.kill}. */
export interface KillOptions extends CallOptions {
  /** Signal name or number; default `SIGKILL`. */
  signalName?: string;
}

/** Options of {@link ContainersApi.remove}. */
export interface RemoveContainerOptions extends CallOptions {
  /** Kill the container first if it runs. */
  force?: boolean;
  /** Remove its anonymous volumes too. */
  volumes?: boolean;
}

/** Options of {@link ContainersApi.list}. */
export interface ListContainersOptions extends CallOptions {
  /** Include stopped containers. */
  all?: boolean;
  /** Label filters, `key` or `key=value`; a container must match all of them. */
  labels?: string[];
}

/** Options of {@link ContainersApi.commit}. */
export interface CommitOptions extends CallOptions {
  /** Image configuration of the new image. */
  config?: ImageConfig;
  /** Repository to tag the image with. */
  repository?: string;
  /** Tag, with `repository`. */
  tag?: string;
  /** Commit message, shown by `docker history`. */
  comment?: string;
  /** Author, stored in the image's `Author`. */
  author?: string;
  /** Pause the container while committing; default `true`, as the engine does. */
  pause?: boolean;
  /** Dockerfile instructions to apply, such as `CMD ["sh"]`. */
  changes?: string[];
}

/** Containers of the engine. */
export interface ContainersApi {
  /** Creates a container. @throws {ImageNotFoundError} when its image is missing. */
  create(options: CreateContainerOptions): Promise<ContainerHandle>;
  /** Starts a created container. */
  start(container: string, options?: CallOptions): Promise<void>;
  /**
   * Attaches to stdout and stderr. Attach before {@link ContainersApi.start}
   * so that no output is lost.
   */
  attach(container: string, options?: AttachOptions): Promise<ContainerOutput>;
  /** Waits until the container stops; aborting the signal kills the container. */
  wait(container: string, options?: WaitOptions): Promise<ContainerExit>;
  /** Sends a signal to the main process. */
  kill(container: string, options?: KillOptions): Promise<void>;
  /** Removes a container. */
  remove(container: string, options?: RemoveContainerOptions): Promise<void>;
  /** Returns a container's details. @throws {ContainerNotFoundError} */
  inspect(container: string, options?: CallOptions): Promise<ContainerInspect>;
  /** Lists containers, optionally filtered by label. */
  list(options?: ListContainersOptions): Promise<ContainerSummary[]>;
  /**
   * Commits the container's file system as a new image, with the given config.
   * The engine fills what the config leaves empty from the container's own
   * config: `User`, `WorkingDir`, `StopSignal`, `Healthcheck`, and `Cmd` with
   * `Entrypoint` when both are empty. It also adds the container's `Env`
   * variables, `Labels`, `ExposedPorts` and `Volumes` that the config lacks.
   */
  commit(container: string, options?: CommitOptions): Promise<{ imageId: string }>;
}

// @types/dockerode omits the options argument that these methods accept.
type OptionsCall<T> = (options: Record<string, unknown>) => Promise<T>;

/** {@link ContainersApi} on dockerode. */
export class DockerContainers implements ContainersApi {
  readonly #client: EngineClient;

  constructor(client: EngineClient) {
    this.#client = client;
  }

  async create({
    config,
    name,
    platform,
    signal,
  }: CreateContainerOptions): Promise<ContainerHandle> {
    const context = { operation: 'create container from image', image: config.Image, signal };
    const query = { ...(name === undefined ? {} : { name }), ...(platform ? { platform } : {}) };
    const { docker } = this.#client;
    // _query and _body keep the config out of the URL; dockerode sends both otherwise.
    // The request takes no abort signal, because the engine may create the container
    // after the client gave up, and the client would then never learn its id to remove it.
    const request = { _query: query, _body: config };
    const created = await this.#client.write(context, () =>
      docker.createContainer(request as unknown as Dockerode.ContainerCreateOptions),
    );
    log('created container %s from image %s', shortId(created.id), config.Image);
    if (signal?.aborted === true) {
      await this.remove(created.id, { force: true, volumes: true }).catch(() => {});
      throw signal.reason;
    }
    return this.#handle(created.id);
  }

  async start(container: string, { signal }: CallOptions = {}): Promise<void> {
    await this.#client.write({ operation: 'start container', container, signal }, () =>
      this.#container(container).start({ abortSignal: signal }),
    );
    log('started container %s', shortId(container));
  }

  async attach(
    container: string,
    { tty = false, signal }: AttachOptions = {},
  ): Promise<ContainerOutput> {
    const context = { operation: 'attach to container', container, signal };
    const options = { stream: true, stdout: true, stderr: true, abortSignal: signal };
    const stream = (await this.#client.write(context, () =>
      this.#container(container).attach(options),
    )) as unknown as Readable;
    const translate = (error: unknown) => this.#client.translate(error, context);
    return new ContainerOutput(bindSignal(stream, signal), tty, translate);
  }

  async wait(container: string, options: WaitOptions = {}): Promise<ContainerExit> {
    const { condition = 'not-running', signal } = options;
    const context = { operation: 'wait for container', container, signal };
    if (signal?.aborted) {
      await this.#killAfterAbort(container);
      throw signal.reason;
    }
    const onAbort = () => void this.#killAfterAbort(container);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const result = (await this.#client.write(context, () =>
        this.#container(container).wait({ condition, abortSignal: signal }),
      )) as { StatusCode: number; Error?: { Message?: string } | null };
      log('container %s exited with code %d', shortId(container), result.StatusCode);
      const error = result.Error?.Message;
      return error ? { exitCode: result.StatusCode, error } : { exitCode: result.StatusCode };
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async kill(
    container: string,
    { signalName = 'SIGKILL', signal }: KillOptions = {},
  ): Promise<void> {
    await this.#client.write({ operation: 'kill container', container, signal }, () =>
      this.#container(container).kill({ signal: signalName, abortSignal: signal }),
    );
    log('sent %s to container %s', signalName, shortId(container));
  }

  async remove(container: string, options: RemoveContainerOptions = {}): Promise<void> {
    const { force = false, volumes = false, signal } = options;
    await this.#client.write({ operation: 'remove container', container, signal }, () =>
      this.#container(container).remove({ force, v: volumes, abortSignal: signal }),
    );
    log('removed container %s', shortId(container));
  }

  async inspect(container: string, { signal }: CallOptions = {}): Promise<ContainerInspect> {
    const handle = this.#container(container);
    const inspect = handle.inspect.bind(handle) as unknown as OptionsCall<ContainerInspect>;
    return this.#client.read({ operation: 'inspect container', container, signal }, () =>
      inspect({ abortSignal: signal }),
    );
  }

  async list({
    all = false,
    labels,
    signal,
  }: ListContainersOptions = {}): Promise<ContainerSummary[]> {
    const filters: Record<string, string[]> = labels === undefined ? {} : { label: labels };
    const { docker } = this.#client;
    return this.#client.read({ operation: 'list containers', signal }, () =>
      docker.listContainers({ all, filters, abortSignal: signal }),
    ) as Promise<ContainerSummary[]>;
  }

  async commit(container: string, options: CommitOptions = {}): Promise<{ imageId: string }> {
    const { config = {}, signal } = options;
    const context = { operation: 'commit container', container, signal };
    const request = { _query: commitQuery(container, options), _body: config, abortSignal: signal };
    const result = (await this.#client.write(context, () =>
      this.#container(container).commit(request),
    )) as { Id: string };
    log('committed container %s as image %s', shortId(container), shortId(result.Id));
    return { imageId: result.Id };
  }

  #container(container: string): Dockerode.Container {
    return this.#client.docker.getContainer(container);
  }

  #handle(id: string): ContainerHandle {
    const remove = () => this.#removeQuietly(id);
    return { id, remove, [Symbol.asyncDispose]: remove };
  }

  // Cleanup runs after a failure or an abort, so it takes no signal.
  async #removeQuietly(container: string): Promise<void> {
    try {
      await this.remove(container, { force: true, volumes: true });
    } catch (error) {
      if (error instanceof ContainerNotFoundError || isRemovalInProgress(error)) {
        return;
      }
      throw error;
    }
  }

  async #killAfterAbort(container: string): Promise<void> {
    try {
      await this.kill(container);
    } catch (error) {
      // The container may have exited or been removed already; neither is a failure here.
      log('kill after abort of container %s failed: %s', shortId(container), String(error));
    }
  }
}

function commitQuery(container: string, options: CommitOptions): Record<string, unknown> {
  const query: Record<string, unknown> = { container, pause: options.pause ?? true };
  if (options.repository !== undefined) query.repo = options.repository;
  if (options.tag !== undefined) query.tag = options.tag;
  if (options.comment !== undefined) query.comment = options.comment;
  if (options.author !== undefined) query.author = options.author;
  if (options.changes !== undefined) query.changes = options.changes;
  return query;
}

function isRemovalInProgress(error: unknown): boolean {
  return error instanceof ConflictError && /already in progress/i.test(error.engineMessage);
}
