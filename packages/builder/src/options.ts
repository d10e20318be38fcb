/** Options and result of a build. */
import type { LayerCache } from '@gantry/cache';
import type { DockerEngine } from '@gantry/daemon';
import type { BuildEvent } from '@gantry/log-format';

/** When to pull a base image: as `docker build --pull` and its defaults. */
export type PullPolicy = 'always' | 'missing' | 'never';

/** Network modes of RUN containers that `networkMode` takes, as BuildKit's `--network` does. */
export const NETWORK_MODES = ['default', 'host', 'none'] as const;

/** One of {@link NETWORK_MODES}. */
export type NetworkMode = (typeof NETWORK_MODES)[number];

/** Values of {@link BuildOptions.keepContainers}. */
export const KEEP_CONTAINERS = ['none', 'failed', 'all'] as const;

/** The step containers a build keeps; see {@link BuildOptions.keepContainers}. */
export type KeepContainers = (typeof KEEP_CONTAINERS)[number];

/** A resource limit of RUN step containers, as `docker build --ulimit name=soft[:hard]` sets it. */
export interface Ulimit {
  /** The limit's name without `RLIMIT_`, in lower case, such as `nofile` or `nproc`. */
  readonly name: string;
  /** Soft limit, or -1 for unlimited. */
  readonly soft: number;
  /** Hard limit, or -1 for unlimited. */
  readonly hard: number;
}

/** Host settings of RUN step containers, as `docker build` flags set them. */
export interface RunContainerSettings {
  /** `host:ip` entries for `/etc/hosts` (`--add-host`). */
  readonly extraHosts?: readonly string[] | undefined;
  /** Size of `/dev/shm` in bytes (`--shm-size`). */
  readonly shmSize?: number | undefined;
  /** Memory limit in bytes (`--memory`). */
  readonly memory?: number | undefined;
  /** Memory and swap limit in bytes, -1 for unlimited swap (`--memory-swap`). */
  readonly memorySwap?: number | undefined;
  /** Relative CPU weight (`--cpu-shares`). */
  readonly cpuShares?: number | undefined;
  /** CPUs the commands may run on, such as `0-1` (`--cpuset-cpus`). */
  readonly cpusetCpus?: string | undefined;
  /** Memory nodes the commands may use, such as `0` (`--cpuset-mems`). */
  readonly cpusetMems?: string | undefined;
  /** Length of a CPU CFS scheduler period in microseconds (`--cpu-period`). */
  readonly cpuPeriod?: number | undefined;
  /** CPU time per CFS period in microseconds, -1 for no limit (`--cpu-quota`). */
  readonly cpuQuota?: number | undefined;
  /** Parent cgroup of the containers, such as `/ci-builds` (`--cgroup-parent`). */
  readonly cgroupParent?: string | undefined;
  /** Resource limits, such as open files (`--ulimit`, repeatable). */
  readonly ulimits?: readonly Ulimit[] | undefined;
}

/** Options of {@link build}. */
export interface BuildOptions {
  /** The build-context folder. */
  readonly contextDir: string;
  /** Dockerfile path, relative to the working directory; `<contextDir>/Dockerfile` unless set. */
  readonly dockerfile?: string | undefined;
  /** Dockerfile text, for `-f -`; takes precedence over `dockerfile`. */
  readonly dockerfileText?: string | undefined;
  /**
   * Bytes of the build context as the caller received it, such as a
   * compressed tar on standard input, for the log's context size line. The
   * size of `contextDir` as an uncompressed tar unless set.
   */
  readonly contextSize?: number | undefined;
  /** References to tag the final image with (`name` or `name:tag`). */
  readonly tags?: readonly string[] | undefined;
  /** `--build-arg` values by name. */
  readonly buildArgs?: Readonly<Record<string, string>> | undefined;
  /** Name or index of the stage to build; the last stage unless set. */
  readonly target?: string | undefined;
  /** Skip cache lookups: every step runs. */
  readonly noCache?: boolean | undefined;
  /**
   * Platform of the base images to pull, `os/arch[/variant]` (`--platform`).
   * As in the classic builder, a base image that exists locally is used
   * whatever its platform, and the steps run on the engine's own.
   */
  readonly platform?: string | undefined;
  /**
   * The step containers that stay after their step, for inspection: `none` (the
   * default) removes each one, `failed` keeps the container of a step that
   * fails (`docker build --force-rm=false`, docker's default), and `all`
   * keeps every one (`docker build --rm=false`). A cancelled build removes
   * them all the same.
   */
  readonly keepContainers?: KeepContainers | undefined;
  /**
   * Host settings of RUN containers: extra hosts, shared memory, memory and
   * CPU limits, the parent cgroup and ulimits. They are no part of the cache
   * key, as in the classic builder. The engine checks the values when it
   * creates a RUN container, so a value it rejects fails the first RUN step
   * with the engine's message, as in the classic builder.
   */
  readonly runContainer?: RunContainerSettings | undefined;
  /** Labels of the final image, added as one LABEL step at the end, as the classic builder does. */
  readonly labels?: Readonly<Record<string, string>> | undefined;
  /**
   * Network mode of RUN containers, one of {@link NETWORK_MODES}; `default`
   * unless set. Another value rejects the build before its first step.
   */
  readonly networkMode?: string | undefined;
  /** When to pull base images; `missing` unless set. */
  readonly pull?: PullPolicy | undefined;
  /**
   * Stages that may run at once when they do not depend on one another; 1
   * (the default) runs them one after another, as the classic builder does,
   * which keeps the classic log in order.
   */
  readonly parallelStages?: number | undefined;
  /**
   * Counts the global ARGs before the first FROM as steps and announces each
   * with a `step-start` event and no `step-done`, as the classic builder's log
   * prints them (`Step 1/9 : ARG BASE=busybox`). Such a step has stage 0, and
   * its `stageStep` and `stageSteps` count the global ARGs. True unless set.
   */
  readonly globalArgSteps?: boolean | undefined;
  /** Receives every build event in order. */
  readonly onEvent?: ((event: BuildEvent) => void) | undefined;
  /**
   * Called after each chunk of RUN output is emitted. While the promise it
   * returns is pending, the command's output is not read, so the command
   * waits, as the engine slows a build to the pace of a `docker build` that
   * reads slowly. gantry-server passes one that waits for its slow clients.
   */
  readonly waitForOutputReaders?: (() => Promise<void> | undefined) | undefined;
  /** Cancels the build: the running container is killed and what the build made is removed. */
  readonly signal?: AbortSignal | undefined;
  /**
   * Engine to build on; `connectDockerEngine()` unless set. A promise lets a
   * caller start connecting before it loads the rest of the build.
   */
  readonly engine?: DockerEngine | Promise<DockerEngine> | undefined;
  /** Layer cache; a `LayerCache` on the default file-system store unless set. */
  readonly cache?: LayerCache | undefined;
  /**
   * Names the project for cache-miss explanations: a miss is explained
   * against the last build of the same step in the same scope. The resolved
   * context folder and Dockerfile path unless set. A caller that extracts
   * each context into a new folder, such as a build server, passes a stable name.
   * Cache hits do not depend on it.
   */
  readonly cacheScope?: string | undefined;
  /**
   * PEM file of certificates that ADD trusts, besides Node.js's bundled ones,
   * when it downloads an https URL. The file is read on the first such
   * download, which fails when the file cannot be read or contains no PEM
   * certificate. Without it, ADD trusts what Node.js trusts, which includes the
   * file `NODE_EXTRA_CA_CERTS` named when the process started. The `gantry`
   * command starts Node.js without that variable, to start faster, and passes
   * its file here.
   */
  readonly extraCaCertsFile?: string | undefined;
}

/** Result of a successful build. */
export interface BuildResult {
  /** Id of the final image, `sha256:<hex>`. */
  readonly imageId: string;
  /** Tags applied, as given. */
  readonly tags: readonly string[];
  /** Ids of the images the build committed (cache hits excluded), in step order. */
  readonly createdImages: readonly string[];
}
