/** The query parameters of the Engine API's `POST /build`, checked and turned into build options. */
import { posix } from 'node:path';
import {
  type KeepContainers,
  NETWORK_MODES,
  type PullPolicy,
  type RunContainerSettings,
  tagProblem,
} from '@gantry/builder';
import { checkWindowsOnly, runContainerOf } from './build-query-resources.js';
import { invalidParameter, quoteValue, ServerError } from './errors.js';

/** A build request's options, read from the query string. */
export interface BuildRequest {
  /** Tags for the final image (`t`, repeatable). */
  readonly tags: readonly string[];
  /** Dockerfile path inside the context (`dockerfile`); `Dockerfile` unless set. */
  readonly dockerfile: string;
  /** Build-arg values by name (`buildargs`); an arg sent as null is left out. */
  readonly buildArgs: Readonly<Record<string, string>>;
  /** Labels of the final image (`labels`). */
  readonly labels: Readonly<Record<string, string>>;
  /** Stage to build (`target`); the last stage unless set. */
  readonly target: string | undefined;
  /** Skip cache lookups (`nocache`). */
  readonly noCache: boolean;
  /** Send only the image id, or the kept log on failure (`q`). */
  readonly quiet: boolean;
  /** Network mode of RUN containers (`networkmode`); the engine's default unless set. */
  readonly networkMode: string | undefined;
  /** Pull policy for base images (`pull`). */
  readonly pull: PullPolicy;
  /** Step containers to keep (`rm=0` without `forcerm=1` keeps them all). */
  readonly keepContainers: KeepContainers;
  /**
   * Host settings of RUN containers: `extrahosts` (repeatable), `shmsize`,
   * `memory`, `memswap` (bytes), `cpushares`, `cpusetcpus`, `cpusetmems`,
   * `cpuperiod`, `cpuquota` (microseconds), `cgroupparent` and `ulimits`.
   */
  readonly runContainer: RunContainerSettings | undefined;
  /** Platform of base images to pull (`platform`), `os/arch[/variant]`. */
  readonly platform: string | undefined;
}

/**
 * Engine parameters that gantry has no equivalent for, each with the values
 * that mean "not set", which the docker CLI sends on every build.
 */
const UNSET_ONLY: Readonly<Record<string, readonly string[]>> = {
  cachefrom: ['', '[]', 'null'],
  outputs: ['', '[]', 'null'],
  remote: [''],
  squash: ['', '0', 'false'],
};

/**
 * Reads the Engine API's build parameters: `t` (repeatable), `dockerfile`,
 * `buildargs`, `labels`, `target`, `nocache`, `q`, `rm`, `forcerm`,
 * `networkmode`, `pull`, `version`, `platform` and the resource parameters
 * of {@link runContainerOf}. `securityopt` and an `isolation` other than
 * `default` are rejected, as the engine on Linux rejects them. Parameters
 * that gantry cannot honour are accepted only with their unset values;
 * unknown names are ignored, as the engine ignores them.
 *
 * @throws {ServerError} `ERR_INVALID_PARAMETER` or `ERR_UNSUPPORTED_PARAMETER`,
 * naming the parameter.
 */
export function parseBuildQuery(query: URLSearchParams): BuildRequest {
  checkUnsupported(query);
  checkWindowsOnly(query);
  return {
    tags: readTags(query),
    dockerfile: readDockerfile(query.get('dockerfile') ?? ''),
    buildArgs: readBuildArgs(query.get('buildargs')),
    labels: readLabels(query.get('labels')),
    target: emptyToUndefined(query.get('target')),
    noCache: readBoolean(query, 'nocache'),
    quiet: readBoolean(query, 'q'),
    networkMode: readNetworkMode(query.get('networkmode')),
    pull: readBoolean(query, 'pull') ? 'always' : 'missing',
    keepContainers: keepContainersOf(query),
    runContainer: runContainerOf(query),
    platform: readPlatform(query.get('platform')),
  };
}

/**
 * Reads `platform`: `os/arch[/variant]`, or an OS or an architecture alone,
 * which the engine completes. Empty is no platform, as in the engine.
 */
function readPlatform(value: string | null): string | undefined {
  if (value === null || value === '') return undefined;
  if (/^[a-z0-9_.-]+(\/[a-z0-9_.-]+){0,2}$/i.test(value)) return value;
  throw invalidParameter(
    'platform',
    `Invalid platform ${quoteValue(value)}: expected os/arch[/variant], such as linux/amd64.`,
  );
}

/**
 * Reads `rm` (default 1) and `forcerm`. As in the engine, `rm=0` keeps every
 * step container unless `forcerm=1`. The engine's default, `rm=1` without
 * `forcerm`, also keeps a failing step's container. gantry-server removes
 * it, so that failed builds leave nothing behind on a shared engine.
 */
function keepContainersOf(query: URLSearchParams): KeepContainers {
  // As in the engine, an empty rm is the default, 1.
  const remove = (query.get('rm') ?? '') === '' ? true : readBoolean(query, 'rm');
  return !remove && !readBoolean(query, 'forcerm') ? 'all' : 'none';
}

function checkUnsupported(query: URLSearchParams): void {
  const version = query.get('version');
  if (version !== null && version !== '' && version !== '1') {
    throw new ServerError(
      'ERR_UNSUPPORTED_PARAMETER',
      `Unsupported version ${quoteValue(version)}: gantry offers the classic builder (version=1) ` +
        'only; with the docker CLI, set DOCKER_BUILDKIT=0.',
      { parameter: 'version' },
    );
  }
  for (const [name, unset] of Object.entries(UNSET_ONLY)) {
    const value = query.get(name);
    if (value === null || unset.includes(value)) continue;
    throw new ServerError(
      'ERR_UNSUPPORTED_PARAMETER',
      `Unsupported ${name} ${quoteValue(value)}: gantry does not implement this build ` +
        `option; leave ${name} unset.`,
      { parameter: name },
    );
  }
}

function readTags(query: URLSearchParams): string[] {
  const tags = query.getAll('t').filter((tag) => tag !== '');
  for (const tag of tags) {
    const problem = tagProblem(tag);
    if (problem === undefined) continue;
    throw invalidParameter(
      't',
      `Invalid t ${quoteValue(tag)}: ${problem}; write [host[:port]/]name[:tag].`,
    );
  }
  return tags;
}

function readDockerfile(value: string): string {
  if (value === '') return 'Dockerfile';
  const path = posix.normalize(value.replaceAll('\\', '/'));
  if (path.startsWith('/') || path === '..' || path.startsWith('../') || path === '.') {
    throw invalidParameter(
      'dockerfile',
      `Invalid dockerfile ${quoteValue(value)}: expected a file path inside the build ` +
        'context, such as "Dockerfile" or "docker/app.Dockerfile".',
    );
  }
  return path;
}

/**
 * Reads `buildargs`. Its values are secrets, so no message quotes them. The
 * error has no cause either, because the JSON parser's message quotes the
 * text near a syntax error and the server logs the cause of a rejected request.
 */
function readBuildArgs(value: string | null): Record<string, string> {
  const map = readStringMap('buildargs', value, { nullable: true, secret: true });
  const args: Record<string, string> = {};
  for (const [name, argValue] of Object.entries(map)) {
    if (argValue !== null) args[name] = argValue;
  }
  return args;
}

function readLabels(value: string | null): Record<string, string> {
  const map = readStringMap('labels', value, { nullable: false, secret: false });
  return map as Record<string, string>;
}

function readStringMap(
  parameter: string,
  value: string | null,
  options: { nullable: boolean; secret: boolean },
): Record<string, string | null> {
  if (value === null || value === '' || value === 'null') return {};
  const expected = options.nullable ? 'strings or null' : 'strings';
  const invalid = (cause?: unknown) =>
    invalidParameter(
      parameter,
      `Invalid ${parameter}: expected a JSON object whose values are ${expected}, such as ` +
        `{"NAME":"value"}.`,
      options.secret ? undefined : cause,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw invalid(error);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid();
  for (const entry of Object.values(parsed)) {
    if (typeof entry === 'string' || (options.nullable && entry === null)) continue;
    throw invalid();
  }
  return parsed as Record<string, string | null>;
}

/** Reads a boolean as the engine does: empty, `0`, `no`, `false` and `none` are false. */
function readBoolean(query: URLSearchParams, parameter: string): boolean {
  const value = query.get(parameter);
  if (value === null) return false;
  return !['', '0', 'no', 'false', 'none'].includes(value.toLowerCase());
}

/**
 * Reads `networkmode`. `bridge` is the engine's default network on Linux, so
 * it means `default`. The builder runs steps on no other named network.
 */
function readNetworkMode(value: string | null): string | undefined {
  if (value === null || value === '' || value === 'default' || value === 'bridge') return undefined;
  if ((NETWORK_MODES as readonly string[]).includes(value)) return value;
  throw invalidParameter(
    'networkmode',
    `Invalid networkmode ${quoteValue(value)}: expected default, bridge, host or none, ` +
      'because gantry runs RUN steps on no other network.',
  );
}

function emptyToUndefined(value: string | null): string | undefined {
  return value === null || value === '' ? undefined : value;
}
