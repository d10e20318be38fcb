/**
 * `@gantry/daemon`: the Docker Engine client of gantry. It finds the engine,
 * negotiates the API version, and offers one interface per resource (system,
 * images, containers, archives, builds) on top of dockerode. Every call takes
 * an `AbortSignal`, and every failure is one of the errors in `errors.ts`.
 *
 * @packageDocumentation
 */

export {
  type ArchivesApi,
  type GetArchiveOptions,
  type PackFolderOptions,
  type PutArchiveOptions,
  packFolder,
  type StatPathOptions,
} from './archives.js';
export {
  type BuildMessage,
  type BuildOutcome,
  type BuildsApi,
  type ClassicBuildOptions,
  collectBuild,
} from './builds.js';
export {
  CLIENT_MAX_API_VERSION,
  CLIENT_MIN_API_VERSION,
  compareApiVersions,
  negotiateApiVersion,
} from './connection/api-version.js';
export { readDockerContextEndpoint } from './connection/context-store.js';
export {
  DEFAULT_CONTEXT_NAME,
  type DockerContextSelection,
  dockerConfigDir,
  dockerContextStrategy,
  selectDockerContext,
} from './connection/docker-context.js';
export {
  type EndpointTls,
  type EngineEndpoint,
  formatEndpoint,
  parseEngineAddress,
} from './connection/endpoint.js';
export { DEFAULT_KEY_FILES, type SshAuth } from './connection/ssh-auth.js';
export {
  DEFAULT_SOCKET_PATH,
  DEFAULT_STRATEGIES,
  defaultSocketStrategy,
  desktopSocketStrategy,
  dockerHostStrategy,
  type EndpointStrategy,
  findEndpoint,
  processStrategyContext,
  rootlessSocketStrategy,
  type StrategyContext,
} from './connection/strategies.js';
export { ContainerOutput, type OutputText } from './container-output.js';
export type {
  AttachOptions,
  CommitOptions,
  ContainerExit,
  ContainerHandle,
  ContainersApi,
  CreateContainerOptions,
  KillOptions,
  ListContainersOptions,
  RemoveContainerOptions,
  WaitOptions,
} from './containers.js';
export { demultiplex, FrameDecoder, type OutputChunk, type OutputStreamName } from './demux.js';
export {
  type ConnectOptions,
  type CreateEngineOptions,
  connectDockerEngine,
  createDockerEngine,
  type DockerEngine,
  resolveEndpoint,
} from './docker-engine.js';
export type * from './engine-types.js';
export {
  ConflictError,
  ContainerNotFoundError,
  DaemonError,
  type DaemonErrorCode,
  type DaemonErrorOptions,
  EngineAddressError,
  type EngineAddressErrorOptions,
  EngineError,
  EngineUnreachableError,
  type EngineUnreachableErrorOptions,
  ImageNotFoundError,
  isDaemonError,
} from './errors.js';
export type {
  ImagesApi,
  ListImagesOptions,
  RegistryAuth,
  RemoveImageOptions,
  TransferOptions,
} from './images.js';
export { readJsonLines } from './json-lines.js';
export type { ContainerPathStat, ContainerPathType } from './path-stat.js';
export { type ImageReferenceParts, splitImageReference } from './reference.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';
export type { SystemApi } from './system.js';
export { withContainer } from './with-container.js';
