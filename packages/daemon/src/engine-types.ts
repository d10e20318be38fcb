/**
 * Engine API shapes this package sends and returns, with the engine's own
 * field names (PascalCase) so that they compare directly with `docker inspect`.
 */

/** Map whose keys matter and whose values are empty objects, as in `ExposedPorts`. */
export type KeySet = Record<string, Record<string, never>>;

/** Options every call accepts. */
export interface CallOptions {
  /** Cancels the call; the promise rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/** Health check of an image or container; durations are in nanoseconds. */
export interface HealthConfig {
  Test?: string[] | null;
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  StartInterval?: number;
  Retries?: number;
}

/** Image configuration, as the engine stores it in an image and `docker commit` takes it. */
export interface ImageConfig {
  Hostname?: string;
  Domainname?: string;
  User?: string;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  ExposedPorts?: KeySet | null;
  Tty?: boolean;
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  Env?: string[] | null;
  Cmd?: string[] | null;
  Healthcheck?: HealthConfig | null;
  ArgsEscaped?: boolean;
  Image?: string;
  Volumes?: KeySet | null;
  WorkingDir?: string;
  Entrypoint?: string[] | null;
  NetworkDisabled?: boolean;
  OnBuild?: string[] | null;
  Labels?: Record<string, string> | null;
  StopSignal?: string;
  StopTimeout?: number;
  Shell?: string[] | null;
}

/** Host-side settings of a container; fields not listed pass through unchanged. */
export interface HostConfig {
  NetworkMode?: string;
  Binds?: string[];
  AutoRemove?: boolean;
  Init?: boolean;
  ExtraHosts?: string[];
  /** Container port (`8080/tcp`) to the host addresses it is published on. */
  PortBindings?: Record<string, Partial<PortBinding>[]>;
  [field: string]: unknown;
}

/** Body of `POST /containers/create`: an image config plus where to run it. */
export interface ContainerConfig extends ImageConfig {
  /** Image name, tag or id the container starts from. */
  Image: string;
  HostConfig?: HostConfig;
  NetworkingConfig?: Record<string, unknown>;
}

/** Subset of `GET /images/{name}/json`. */
export interface ImageInspect {
  Id: string;
  RepoTags: string[] | null;
  RepoDigests: string[] | null;
  Parent: string;
  Comment: string;
  Created: string;
  Author: string;
  Architecture: string;
  Os: string;
  Size: number;
  Config: ImageConfig | null;
  RootFS: { Type: string; Layers?: string[] };
}

/** One entry of `GET /images/json`. */
export interface ImageSummary {
  Id: string;
  ParentId: string;
  RepoTags: string[] | null;
  RepoDigests: string[] | null;
  Created: number;
  Size: number;
  Labels: Record<string, string> | null;
  Containers: number;
}

/** One layer of `GET /images/{name}/history`, newest first. */
export interface ImageHistoryEntry {
  Id: string;
  Created: number;
  CreatedBy: string;
  Tags: string[] | null;
  Size: number;
  Comment: string;
}

/** One entry of `DELETE /images/{name}`. */
export interface ImageDeleteEntry {
  Untagged?: string;
  Deleted?: string;
}

/** Subset of `GET /containers/{id}/json`. */
export interface ContainerInspect {
  Id: string;
  Name: string;
  Image: string;
  Created: string;
  State: {
    Status: string;
    Running: boolean;
    ExitCode: number;
    OOMKilled: boolean;
    Error: string;
  };
  Config: ContainerConfig;
  HostConfig: HostConfig;
  NetworkSettings: ContainerNetworkSettings;
}

/** Where a container's published ports are bound on the host. */
export interface PortBinding {
  HostIp: string;
  HostPort: string;
}

/** Subset of a container's `NetworkSettings`: its published ports and address. */
export interface ContainerNetworkSettings {
  /** Container port (`8080/tcp`) to its host bindings; `null` when not published. */
  Ports: Record<string, PortBinding[] | null> | null;
  /** Address on the default bridge network; empty when not running or not on it. */
  IPAddress: string;
}

/** One entry of `GET /containers/json`. */
export interface ContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  ImageID: string;
  Command: string;
  State: string;
  Status: string;
  Labels: Record<string, string> | null;
}

/** Headers of the `GET /_ping` response. A field the engine did not send is undefined. */
export interface EnginePing {
  /** The engine's own API version (`API-Version`), such as `1.41`. */
  readonly apiVersion: string | undefined;
  /** `linux` or `windows` (`OSType`). */
  readonly osType: string | undefined;
  /** The builder the engine prefers (`Builder-Version`): `1` classic, `2` BuildKit. */
  readonly builderVersion: string | undefined;
}

/** Subset of `GET /version`. */
export interface EngineVersion {
  Version: string;
  ApiVersion: string;
  MinAPIVersion: string;
  Os: string;
  Arch: string;
  KernelVersion: string;
  GitCommit: string;
}

/** Subset of `GET /info`; fields not listed pass through unchanged. */
export interface EngineInfo {
  ID: string;
  Name: string;
  ServerVersion: string;
  OperatingSystem: string;
  Architecture: string;
  NCPU: number;
  MemTotal: number;
  Driver: string;
  DockerRootDir: string;
  Containers: number;
  Images: number;
  [field: string]: unknown;
}

/** Progress of a pull or push, one JSON message of the engine's stream. */
export interface ProgressEvent {
  /** Status in the engine's words, such as `Downloading` or `Pull complete`. */
  status: string;
  /** Layer id the status is about, when it is about one. */
  id?: string;
  /** Engine's text progress bar. */
  progress?: string;
  /** Bytes done so far. */
  current?: number;
  /** Bytes in all. */
  total?: number;
}
