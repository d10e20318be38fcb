/**
 * Error classes of `@gantry/daemon`. Every error that leaves the package is one
 * of these, or the abort reason of the caller's `AbortSignal`.
 */

/** Stable codes of the errors this package raises. */
export type DaemonErrorCode =
  | 'ERR_ENGINE_UNREACHABLE'
  | 'ERR_ENGINE_ADDRESS'
  | 'ERR_IMAGE_NOT_FOUND'
  | 'ERR_CONTAINER_NOT_FOUND'
  | 'ERR_CONFLICT'
  | 'ERR_ENGINE';

/** Base class of every error this package raises; branch on `code`. */
export abstract class DaemonError extends Error {
  /** Stable identifier of the failure, safe to compare. */
  abstract readonly code: DaemonErrorCode;
}

/** Options of an error that wraps a lower-level failure. */
export interface DaemonErrorOptions {
  /** Original error, kept for debugging. */
  cause?: unknown;
}

/** Options of an {@link EngineUnreachableError}. */
export interface EngineUnreachableErrorOptions extends DaemonErrorOptions {
  /** Name of the docker context the address was read from, which the message names. */
  dockerContext?: string | undefined;
  /** Next step for the user, in place of starting the engine or switching contexts. */
  fix?: string | undefined;
}

/**
 * Failure to reach the engine: the socket is missing, nothing listens on the
 * port, access was denied, or the connection dropped.
 */
export class EngineUnreachableError extends DaemonError {
  readonly code = 'ERR_ENGINE_UNREACHABLE';
  override readonly name = 'EngineUnreachableError';

  /** Address that was dialled, such as `unix:///var/run/docker.sock`. */
  readonly address: string;

  /** Docker context the address was read from, when a context named it. */
  readonly dockerContext: string | undefined;

  constructor(address: string, reason: string, options: EngineUnreachableErrorOptions = {}) {
    const { dockerContext } = options;
    const origin = dockerContext === undefined ? '' : ` (docker context "${dockerContext}")`;
    super(
      `Docker Engine at ${address}${origin} is unreachable (${reason}). ${options.fix ?? startFix(dockerContext)}`,
      options,
    );
    this.address = address;
    this.dockerContext = dockerContext;
  }
}

/** Returns the usual next step for an unreachable engine: start it, or pick another. */
function startFix(dockerContext: string | undefined): string {
  const start = 'Start the engine (for example `sudo systemctl start docker` or `dockerd`), ';
  return dockerContext === undefined
    ? `${start}or set DOCKER_HOST to its address, such as unix:///var/run/docker.sock or tcp://HOST:2375.`
    : `${start}or switch to another docker context (\`docker context use default\`, or DOCKER_CONTEXT), ` +
        'or set DOCKER_HOST to the engine address.';
}

/** Options of an {@link EngineAddressError}. */
export interface EngineAddressErrorOptions extends DaemonErrorOptions {
  /** Name of the docker context the address was read from, which the message names. */
  dockerContext?: string;
  /** Next step for the user, in place of the list of valid address forms. */
  fix?: string;
}

/** Valid address forms, the default next step of an {@link EngineAddressError}. */
const ADDRESS_FORMS = 'Use unix:///path/to/docker.sock, tcp://HOST:PORT or ssh://USER@HOST.';

/**
 * `DOCKER_HOST`, an explicit address or a docker context cannot be parsed or
 * used.
 */
export class EngineAddressError extends DaemonError {
  readonly code = 'ERR_ENGINE_ADDRESS';
  override readonly name = 'EngineAddressError';

  /** Address as given, or an empty string when a docker context could not be read. */
  readonly address: string;
  /** Reason the address or context cannot be used. */
  readonly problem: string;
  /** Name of the docker context the address was read from, if any. */
  readonly dockerContext: string | undefined;

  constructor(address: string, problem: string, options: EngineAddressErrorOptions = {}) {
    const { dockerContext, fix, ...errorOptions } = options;
    const subject =
      dockerContext === undefined
        ? `Docker Engine address "${truncate(address)}"`
        : `Docker context "${truncate(dockerContext)}"`;
    super(`${subject} is invalid: ${problem}. ${fix ?? ADDRESS_FORMS}`, errorOptions);
    this.address = address;
    this.problem = problem;
    this.dockerContext = dockerContext;
  }
}

/** No image with the given name, tag or id exists in the engine or registry. */
export class ImageNotFoundError extends DaemonError {
  readonly code = 'ERR_IMAGE_NOT_FOUND';
  override readonly name = 'ImageNotFoundError';

  /** Image reference as requested. */
  readonly image: string;

  constructor(image: string, engineMessage: string, options: DaemonErrorOptions = {}) {
    super(
      `Image "${truncate(image)}" was not found: ${engineMessage}. ` +
        'Check the name and tag with `docker images`, or pull or build it first.',
      options,
    );
    this.image = image;
  }
}

/** No container with the given id or name exists. */
export class ContainerNotFoundError extends DaemonError {
  readonly code = 'ERR_CONTAINER_NOT_FOUND';
  override readonly name = 'ContainerNotFoundError';

  /** Container id or name as requested. */
  readonly container: string;

  constructor(container: string, engineMessage: string, options: DaemonErrorOptions = {}) {
    super(
      `Container "${truncate(container)}" was not found: ${engineMessage}. ` +
        'It may have been removed already; list containers with `docker ps -a`.',
      options,
    );
    this.container = container;
  }
}

/**
 * The engine rejected the request because of the current state (HTTP 409): a
 * name already in use, an image used by a container, a container not running.
 */
export class ConflictError extends DaemonError {
  readonly code = 'ERR_CONFLICT';
  override readonly name = 'ConflictError';

  /** Engine's own message. */
  readonly engineMessage: string;

  constructor(operation: string, engineMessage: string, options: DaemonErrorOptions = {}) {
    super(`${operation} failed with a conflict: ${engineMessage}`, options);
    this.engineMessage = engineMessage;
  }
}

/** Any other failure the engine reported, with its HTTP status and message. */
export class EngineError extends DaemonError {
  readonly code = 'ERR_ENGINE';
  override readonly name = 'EngineError';

  /** HTTP status of the response, or `undefined` for an error inside a stream. */
  readonly statusCode: number | undefined;
  /** Engine's own message. */
  readonly engineMessage: string;

  constructor(
    operation: string,
    statusCode: number | undefined,
    engineMessage: string,
    options: DaemonErrorOptions = {},
  ) {
    const status = statusCode === undefined ? '' : ` (HTTP ${statusCode})`;
    super(`${operation} failed${status}: ${engineMessage}`, options);
    this.statusCode = statusCode;
    this.engineMessage = engineMessage;
  }
}

/** Returns `true` when `error` is one of this package's errors. */
export function isDaemonError(error: unknown): error is DaemonError {
  return error instanceof DaemonError;
}

function truncate(value: string, max = 120): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}
