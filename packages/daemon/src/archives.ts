import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import tar from 'tar-fs';
import type { EngineClient } from './engine-client.js';
import { bindSignal } from './engine-stream.js';
import type { CallOptions } from './engine-types.js';
import { ContainerNotFoundError, EngineError } from './errors.js';
import { log, shortId } from './log.js';
import { type ContainerPathStat, readPathStatHeader } from './path-stat.js';
import type { CallContext } from './translate-error.js';

/** Options of {@link ArchivesApi.put}. */
export interface PutArchiveOptions extends CallOptions {
  /** Folder in the container to extract into; it must exist. */
  path: string;
  /** Tar stream to extract; compressed tars (gzip, bzip2, xz) are accepted too. */
  archive: Readable;
  /** Reject replacing a folder with a file or a file with a folder. */
  noOverwriteDirNonDir?: boolean;
  /**
   * Give every file the uid and gid of the container's `User`. A container
   * without a `User` keeps the owners in the tar, as without this flag.
   */
  copyUidGid?: boolean;
}

/** Options of {@link ArchivesApi.get}. */
export interface GetArchiveOptions extends CallOptions {
  /** File or folder in the container; a folder comes with its own name as the top entry. */
  path: string;
}

/** Options of {@link ArchivesApi.stat}. */
export interface StatPathOptions extends CallOptions {
  /** File or folder in the container; a symbolic link is described, not followed. */
  path: string;
  /**
   * Whether the caller created the container and has not removed it. A 404
   * then counts as a missing path, with no inspect request to check for a
   * missing container. Default false.
   */
  knownContainer?: boolean;
}

/** File trees going into and out of containers, as tar streams. */
export interface ArchivesApi {
  /** Extracts a tar stream into a container; modes, owners and times are kept. */
  put(container: string, options: PutArchiveOptions): Promise<void>;
  /** Returns a tar stream of a path in a container. */
  get(container: string, options: GetArchiveOptions): Promise<Readable>;
  /**
   * Describes a path in a container without copying it, or returns `undefined`
   * when the path does not exist. Rejects with {@link ContainerNotFoundError}
   * when the container does not exist.
   */
  stat(container: string, options: StatPathOptions): Promise<ContainerPathStat | undefined>;
}

/** {@link ArchivesApi} on dockerode. */
export class DockerArchives implements ArchivesApi {
  readonly #client: EngineClient;

  constructor(client: EngineClient) {
    this.#client = client;
  }

  async put(container: string, options: PutArchiveOptions): Promise<void> {
    const { path, archive, signal } = options;
    const query = {
      path,
      noOverwriteDirNonDir: options.noOverwriteDirNonDir ?? false,
      copyUIDGID: options.copyUidGid ?? false,
      abortSignal: signal,
    };
    const context = { operation: `put archive into ${path} of container`, container, signal };
    const handle = this.#client.docker.getContainer(container);
    await this.#client.write(context, () => handle.putArchive(archive, query));
    log('put archive into %s of container %s', path, shortId(container));
  }

  async get(container: string, { path, signal }: GetArchiveOptions): Promise<Readable> {
    const context = { operation: `get archive of ${path} from container`, container, signal };
    const handle = this.#client.docker.getContainer(container);
    const stream = (await this.#client.read(context, () =>
      handle.getArchive({ path, abortSignal: signal }),
    )) as Readable;
    log('streaming archive of %s from container %s', path, shortId(container));
    return bindSignal(stream, signal);
  }

  async stat(container: string, { path, signal, knownContainer = false }: StatPathOptions) {
    const context = { operation: `stat ${path} in container`, container, signal };
    const handle = this.#client.docker.getContainer(container);
    try {
      const response = (await this.#client.read(context, () =>
        handle.infoArchive({ path, abortSignal: signal }),
      )) as Readable & { headers: Record<string, string | string[] | undefined> };
      response.resume();
      return readPathStatHeader(response.headers['x-docker-container-path-stat'], path);
    } catch (error) {
      if (error instanceof EngineError && error.engineMessage === '') {
        throw await this.#reasonOf(handle, context, path, error);
      }
      // A HEAD answer has no body, so a 404 does not say whether the path or
      // the container is missing: inspecting the container tells them apart.
      if (!(error instanceof ContainerNotFoundError)) {
        throw error;
      }
      if (knownContainer) {
        return undefined;
      }
      await this.#client.read({ ...context, operation: 'inspect container' }, () =>
        handle.inspect({ abortSignal: signal }),
      );
      return undefined;
    }
  }

  /**
   * Returns the error of a failed stat with the engine's reason. A response
   * to HEAD has no body to carry it, so a GET of the same path fetches it,
   * and that request's error is returned (such as `lstat ...: not a directory`).
   */
  async #reasonOf(
    handle: Dockerode.Container,
    context: CallContext,
    path: string,
    headError: EngineError,
  ): Promise<unknown> {
    try {
      const stream = (await this.#client.read(context, () =>
        handle.getArchive({ path, abortSignal: context.signal }),
      )) as Readable;
      stream.destroy();
      return headError;
    } catch (error) {
      return error instanceof EngineError && error.engineMessage !== '' ? error : headError;
    }
  }
}

/** Options of {@link packFolder}. */
export interface PackFolderOptions {
  /** Paths relative to the folder to include; all files when omitted. */
  entries?: string[];
}

/**
 * Streams a folder as a tar archive, with its files' modes, owners and times,
 * ready for {@link ArchivesApi.put}. Nothing is buffered beyond one file chunk.
 */
export function packFolder(folder: string, options: PackFolderOptions = {}): Readable {
  const pack = tar.pack(folder, options.entries === undefined ? {} : { entries: options.entries });
  return pack as unknown as Readable;
}
