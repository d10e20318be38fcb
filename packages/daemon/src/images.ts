import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import type { EngineClient } from './engine-client.js';
import { bindSignal, jsonMessages, progressEvents, streamError } from './engine-stream.js';
import type {
  CallOptions,
  ImageDeleteEntry,
  ImageHistoryEntry,
  ImageInspect,
  ImageSummary,
  ProgressEvent,
} from './engine-types.js';
import { ImageNotFoundError } from './errors.js';
import { log } from './log.js';
import { splitImageReference } from './reference.js';

/** Options of {@link ImagesApi.list}. */
export interface ListImagesOptions extends CallOptions {
  /** Include intermediate images. */
  all?: boolean;
  /** Label filters, `key` or `key=value`; an image must match all of them. */
  labels?: string[];
  /** Reference filter, such as `busybox` or `gantry-*:latest`. */
  reference?: string;
}

/** Options of {@link ImagesApi.remove}. */
export interface RemoveImageOptions extends CallOptions {
  /** Remove the image even when a stopped container uses it, and untag every tag. */
  force?: boolean;
  /** Keep untagged parent images. */
  noPrune?: boolean;
}

/** Registry credentials sent in the `X-Registry-Auth` header. */
export interface RegistryAuth {
  username?: string;
  password?: string;
  serveraddress?: string;
  identitytoken?: string;
}

/** Options of {@link ImagesApi.pull} and {@link ImagesApi.push}. */
export interface TransferOptions extends CallOptions {
  /** Credentials; a registry without authentication needs none. */
  auth?: RegistryAuth;
  /** Platform of the image to pull, such as `linux/amd64`. */
  platform?: string;
}

/** Images of the engine. */
export interface ImagesApi {
  /** Returns an image's details. @throws {ImageNotFoundError} */
  inspect(image: string, options?: CallOptions): Promise<ImageInspect>;
  /** Returns whether an image exists. */
  exists(image: string, options?: CallOptions): Promise<boolean>;
  /** Lists images, optionally filtered. */
  list(options?: ListImagesOptions): Promise<ImageSummary[]>;
  /** Gives `image` the reference `target` (`repository[:tag]`, tag `latest` if omitted). */
  tag(image: string, target: string, options?: CallOptions): Promise<void>;
  /** Removes an image or one of its tags. @throws {ImageNotFoundError} @throws {ConflictError} */
  remove(image: string, options?: RemoveImageOptions): Promise<ImageDeleteEntry[]>;
  /** Returns an image's layers, newest first. */
  history(image: string, options?: CallOptions): Promise<ImageHistoryEntry[]>;
  /** Loads images from a `docker save` tar stream and returns what the engine loaded. */
  load(archive: Readable, options?: CallOptions): Promise<string[]>;
  /** Returns a `docker save` tar stream of the given images. */
  save(images: string[], options?: CallOptions): Promise<Readable>;
  /** Pulls an image and yields the engine's progress events until it is complete. */
  pull(reference: string, options?: TransferOptions): AsyncGenerator<ProgressEvent>;
  /** Pushes an image to its registry and yields the engine's progress events. */
  push(reference: string, options?: TransferOptions): AsyncGenerator<ProgressEvent>;
}

/** Status codes docker-modem treats as success (true) or as a named failure. */
const OK_OR_MISSING = { 200: true, 404: 'no such image', 500: 'server error' } as const;

// @types/dockerode omits the options argument that these methods accept.
type OptionsCall<T> = (options: Record<string, unknown>) => Promise<T>;

/** {@link ImagesApi} on dockerode. */
export class DockerImages implements ImagesApi {
  readonly #client: EngineClient;

  constructor(client: EngineClient) {
    this.#client = client;
  }

  async inspect(image: string, { signal }: CallOptions = {}): Promise<ImageInspect> {
    const request = { path: `/images/${image}/json`, method: 'GET', abortSignal: signal };
    return this.#client.read({ operation: 'inspect image', image, signal }, () =>
      this.#client.dial<ImageInspect>({ ...request, statusCodes: OK_OR_MISSING }),
    );
  }

  async exists(image: string, options: CallOptions = {}): Promise<boolean> {
    try {
      await this.inspect(image, options);
      return true;
    } catch (error) {
      if (error instanceof ImageNotFoundError) {
        return false;
      }
      throw error;
    }
  }

  async list({ all, labels, reference, signal }: ListImagesOptions = {}): Promise<ImageSummary[]> {
    const filters: Record<string, string[]> = {};
    if (labels !== undefined) filters.label = labels;
    if (reference !== undefined) filters.reference = [reference];
    const { docker } = this.#client;
    const options = { all: all ?? false, filters, abortSignal: signal };
    return this.#client.read({ operation: 'list images', signal }, () =>
      docker.listImages(options),
    ) as Promise<ImageSummary[]>;
  }

  async tag(image: string, target: string, { signal }: CallOptions = {}): Promise<void> {
    const { repository, tag } = splitImageReference(target);
    const options = { repo: repository, tag: tag ?? 'latest', abortSignal: signal };
    await this.#client.write({ operation: `tag image as ${target}`, image, signal }, () =>
      this.#image(image).tag(options),
    );
    log('tagged image %s as %s', image, target);
  }

  async remove(image: string, options: RemoveImageOptions = {}): Promise<ImageDeleteEntry[]> {
    const { force = false, noPrune = false, signal } = options;
    const query = { force, noprune: noPrune, abortSignal: signal };
    const entries = (await this.#client.write({ operation: 'remove image', image, signal }, () =>
      this.#image(image).remove(query),
    )) as ImageDeleteEntry[];
    log('removed image %s', image);
    return entries;
  }

  async history(image: string, { signal }: CallOptions = {}): Promise<ImageHistoryEntry[]> {
    const request = { path: `/images/${image}/history`, method: 'GET', abortSignal: signal };
    return this.#client.read({ operation: 'read image history', image, signal }, () =>
      this.#client.dial<ImageHistoryEntry[]>({ ...request, statusCodes: OK_OR_MISSING }),
    );
  }

  async load(archive: Readable, { signal }: CallOptions = {}): Promise<string[]> {
    const context = { operation: 'load images', signal };
    const { docker } = this.#client;
    const stream = (await this.#client.write(context, () =>
      docker.loadImage(archive, { quiet: false, abortSignal: signal }),
    )) as Readable;
    const loaded: string[] = [];
    for await (const message of jsonMessages(this.#client, stream, context)) {
      if (message.error !== undefined || message.errorDetail !== undefined) {
        throw streamError(this.#client, message, context);
      }
      const name = /^Loaded image(?: ID)?: (.+)$/.exec(message.stream?.trim() ?? '')?.[1];
      if (name !== undefined) loaded.push(name);
    }
    log('loaded images %o', loaded);
    return loaded;
  }

  async save(images: string[], { signal }: CallOptions = {}): Promise<Readable> {
    const context = { operation: 'save images', image: images.join(' '), signal };
    const { docker } = this.#client;
    const { getImages } = docker as unknown as { getImages: OptionsCall<Readable> };
    const stream = await this.#client.read(context, () =>
      getImages.call(docker, { names: images, abortSignal: signal }),
    );
    return bindSignal(stream, signal);
  }

  async *pull(reference: string, options: TransferOptions = {}): AsyncGenerator<ProgressEvent> {
    const { auth, platform, signal } = options;
    const context = { operation: 'pull image', image: reference, signal };
    const query = { ...pullSource(reference), platform, abortSignal: signal };
    const { docker } = this.#client;
    const stream = (await this.#client.write(context, () =>
      docker.createImage(auth ?? {}, withoutUndefined(query)),
    )) as Readable;
    yield* progressEvents(this.#client, stream, context);
    log('pulled image %s', reference);
  }

  async *push(reference: string, options: TransferOptions = {}): AsyncGenerator<ProgressEvent> {
    const { auth, signal } = options;
    const context = { operation: 'push image', image: reference, signal };
    const { repository, tag } = splitImageReference(reference);
    const push = { tag: tag ?? 'latest', authconfig: auth ?? {}, abortSignal: signal };
    const stream = (await this.#client.write(context, () =>
      this.#image(repository).push(push),
    )) as Readable;
    yield* progressEvents(this.#client, stream, context);
    log('pushed image %s', reference);
  }

  #image(image: string): Dockerode.Image {
    return this.#client.docker.getImage(image);
  }
}

// A digest pins the image, so it goes into fromImage and no tag is sent.
function pullSource(reference: string): { fromImage: string; tag?: string } {
  const { repository, tag, digest } = splitImageReference(reference);
  if (digest !== undefined) {
    return { fromImage: `${repository}@${digest}` };
  }
  return { fromImage: repository, tag: tag ?? 'latest' };
}

function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
