import Dockerode from 'dockerode';
import { type ArchivesApi, DockerArchives } from './archives.js';
import { type BuildsApi, DockerBuilds } from './builds.js';
import { CLIENT_MIN_API_VERSION, negotiateApiVersion } from './connection/api-version.js';
import { dockerodeOptions } from './connection/dockerode-options.js';
import {
  type EndpointTls,
  type EngineEndpoint,
  formatEndpoint,
  parseEngineAddress,
} from './connection/endpoint.js';
import type { SshAuth } from './connection/ssh-auth.js';
import {
  DEFAULT_STRATEGIES,
  type EndpointStrategy,
  findEndpoint,
  processStrategyContext,
  type StrategyContext,
} from './connection/strategies.js';
import { type ContainersApi, DockerContainers } from './containers.js';
import { EngineClient } from './engine-client.js';
import type { CallOptions } from './engine-types.js';
import { DaemonError, EngineAddressError, EngineError } from './errors.js';
import { DockerImages, type ImagesApi } from './images.js';
import { log } from './log.js';
import type { RetryPolicy } from './retry.js';
import { DockerSystem, type SystemApi } from './system.js';

/** A Docker Engine, one interface per resource. */
export interface DockerEngine {
  /** Address the client talks to, such as `unix:///var/run/docker.sock`. */
  readonly address: string;
  /** API version in use, such as `1.41`; `undefined` when none was negotiated or set. */
  readonly apiVersion: string | undefined;
  readonly system: SystemApi;
  readonly images: ImagesApi;
  readonly containers: ContainersApi;
  readonly archives: ArchivesApi;
  readonly builds: BuildsApi;
}

/** Options of {@link connectDockerEngine}. */
export interface ConnectOptions extends CallOptions {
  /** Engine address in `DOCKER_HOST` form; it takes precedence over the strategies. */
  host?: string;
  /** TLS settings for a `tcp://` `host`. */
  tls?: EndpointTls;
  /** Credentials for an `ssh://` engine; default: the ssh-agent, then `~/.ssh/id_*`. */
  ssh?: SshAuth;
  /** Ways to find the engine when `host` is not given, tried in order. */
  strategies?: readonly EndpointStrategy[];
  /** Environment and file system the strategies read; default: this process's. */
  strategyContext?: StrategyContext;
  /** API version to use without asking the engine, such as `1.41`. */
  apiVersion?: string;
  /** Retry policy of reads after transient connection failures. */
  retry?: RetryPolicy;
}

/** Options of {@link createDockerEngine}. */
export interface CreateEngineOptions {
  /** Address for messages; default: read from the dockerode instance. */
  address?: string;
  /** Retry policy of reads after transient connection failures. */
  retry?: RetryPolicy;
}

/**
 * Finds the engine, connects and negotiates the API version: the lower of
 * this client's maximum and the engine's own API version.
 *
 * @throws {EngineUnreachableError} when the engine cannot be reached.
 * @throws {EngineAddressError} when `host`, `DOCKER_HOST` or the docker context
 *   is invalid, or the docker context does not exist.
 * @example
 * const engine = await connectDockerEngine();
 * const { Version } = await engine.system.version();
 */
export async function connectDockerEngine(options: ConnectOptions = {}): Promise<DockerEngine> {
  const endpoint = await resolveEndpoint(options);
  const docker = newDockerode(endpoint, options.ssh);
  const address = formatEndpoint(endpoint);
  const client = new EngineClient(docker, address, options.retry, endpoint.dockerContext);
  if (options.apiVersion !== undefined) {
    setApiVersion(docker, options.apiVersion);
  } else {
    await negotiate(client, options.signal);
  }
  return engineOf(client);
}

/**
 * Wraps a dockerode instance that the caller configured, without contacting
 * the engine; the API version is whatever the instance was given.
 */
export function createDockerEngine(
  docker: Dockerode,
  options: CreateEngineOptions = {},
): DockerEngine {
  const address = options.address ?? addressOf(docker);
  return engineOf(new EngineClient(docker, address, options.retry));
}

/** Picks the endpoint from `host`, or from the first strategy that finds one. */
export async function resolveEndpoint(options: ConnectOptions = {}): Promise<EngineEndpoint> {
  if (options.host !== undefined) {
    return parseEngineAddress(options.host, options.tls);
  }
  const strategies = options.strategies ?? DEFAULT_STRATEGIES;
  const found = await findEndpoint(strategies, options.strategyContext ?? processStrategyContext());
  if (found === undefined) {
    throw new EngineAddressError('(none)', 'no strategy found an engine; set DOCKER_HOST');
  }
  log('engine found by %s at %s', found.strategy, formatEndpoint(found.endpoint));
  return found.endpoint;
}

function engineOf(client: EngineClient): DockerEngine {
  return {
    address: client.address,
    get apiVersion() {
      return apiVersionOf(client.docker);
    },
    system: new DockerSystem(client),
    images: new DockerImages(client),
    containers: new DockerContainers(client),
    archives: new DockerArchives(client),
    builds: new DockerBuilds(client),
  };
}

/**
 * Reads the engine's API version from `GET /_ping`, as the docker CLI does,
 * and from `GET /version` only when the ping's headers lack it.
 */
async function negotiate(client: EngineClient, signal: AbortSignal | undefined): Promise<void> {
  const system = new DockerSystem(client);
  const pinged = (await system.ping({ signal })).apiVersion;
  const engineApi = pinged ?? (await system.version({ signal })).ApiVersion;
  const chosen = negotiateApiVersion(engineApi);
  if (chosen === undefined) {
    const message =
      `the engine speaks API ${engineApi}, older than the ${CLIENT_MIN_API_VERSION} ` +
      'this client needs; upgrade the Docker Engine';
    throw new EngineError('negotiate the API version', undefined, message);
  }
  setApiVersion(client.docker, chosen);
  log('engine speaks API %s; using %s', engineApi, chosen);
}

// docker-modem prefixes every path with its `version`; the types omit the field.
function setApiVersion(docker: Dockerode, version: string): void {
  (docker.modem as { version?: string }).version = `v${version}`;
}

function apiVersionOf(docker: Dockerode): string | undefined {
  const { version } = docker.modem as { version?: unknown };
  return typeof version === 'string' ? version.replace(/^v/, '') : undefined;
}

function newDockerode(endpoint: EngineEndpoint, ssh: SshAuth | undefined): Dockerode {
  try {
    return new Dockerode(dockerodeOptions(endpoint, ssh) as Dockerode.DockerOptions);
  } catch (error) {
    // docker-modem also parses DOCKER_HOST itself and throws on what it cannot read.
    if (error instanceof DaemonError) throw error;
    const problem = error instanceof Error ? error.message : String(error);
    throw new EngineAddressError(formatEndpoint(endpoint), problem, { cause: error });
  }
}

function addressOf(docker: Dockerode): string {
  const modem = docker.modem as { socketPath?: unknown; host?: string; port?: string | number };
  if (typeof modem.socketPath === 'string') return `unix://${modem.socketPath}`;
  if (modem.host !== undefined) return `tcp://${modem.host}:${modem.port ?? ''}`;
  return 'unix:///var/run/docker.sock';
}
