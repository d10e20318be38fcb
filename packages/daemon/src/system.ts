import type { EngineClient } from './engine-client.js';
import type { CallOptions, EngineInfo, EngineVersion } from './engine-types.js';

/** Engine-wide calls. */
export interface SystemApi {
  /** Checks that the engine responds to `GET /_ping`. */
  ping(options?: CallOptions): Promise<void>;
  /** Returns the engine's version and API versions. */
  version(options?: CallOptions): Promise<EngineVersion>;
  /** Returns the engine's system information. */
  info(options?: CallOptions): Promise<EngineInfo>;
}

// @types/dockerode omits the options argument that these methods accept.
type OptionsCall<T> = (options: { abortSignal?: AbortSignal | undefined }) => Promise<T>;

/** {@link SystemApi} on dockerode. */
export class DockerSystem implements SystemApi {
  readonly #client: EngineClient;

  constructor(client: EngineClient) {
    this.#client = client;
  }

  async ping({ signal }: CallOptions = {}): Promise<void> {
    const { docker } = this.#client;
    const ping = docker.ping.bind(docker) as OptionsCall<unknown>;
    await this.#client.read({ operation: 'ping the engine', signal }, () =>
      ping({ abortSignal: signal }),
    );
  }

  async version({ signal }: CallOptions = {}): Promise<EngineVersion> {
    const { docker } = this.#client;
    const version = docker.version.bind(docker) as OptionsCall<EngineVersion>;
    return this.#client.read({ operation: 'read the engine version', signal }, () =>
      version({ abortSignal: signal }),
    );
  }

  async info({ signal }: CallOptions = {}): Promise<EngineInfo> {
    const { docker } = this.#client;
    const info = docker.info.bind(docker) as OptionsCall<EngineInfo>;
    return this.#client.read({ operation: 'read the engine information', signal }, () =>
      info({ abortSignal: signal }),
    );
  }
}
