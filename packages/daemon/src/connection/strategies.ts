import { access, constants } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { dockerContextStrategy } from './docker-context.js';
import {
  DEFAULT_SOCKET_PATH,
  type EndpointTls,
  type EngineEndpoint,
  parseEngineAddress,
} from './endpoint.js';

export { DEFAULT_SOCKET_PATH };

/**
 * Environment and file system a strategy reads; tests pass their own. The
 * docker context strategy reads the real files under `DOCKER_CONFIG`, or
 * `.docker` in `homeDir`, and does not call `exists`.
 */
export interface StrategyContext {
  /** Environment variables, usually `process.env`. */
  env: Readonly<Record<string, string | undefined>>;
  /** Home folder of the current user, the parent of the default `.docker` folder. */
  homeDir: string;
  /** Returns whether a socket or file exists at `path`. */
  exists(path: string): Promise<boolean>;
}

/** One way of finding the engine; strategies are tried in order. */
export interface EndpointStrategy {
  /** Short name for debug logs, such as `DOCKER_HOST`. */
  readonly name: string;
  /** Returns the endpoint, or `undefined` when this strategy does not apply. */
  resolve(context: StrategyContext): Promise<EngineEndpoint | undefined>;
}

/** Reads `DOCKER_HOST`, with `DOCKER_TLS_VERIFY`, `DOCKER_TLS` and `DOCKER_CERT_PATH` for TLS. */
export const dockerHostStrategy: EndpointStrategy = {
  name: 'DOCKER_HOST',
  async resolve({ env, homeDir }) {
    const address = env.DOCKER_HOST;
    if (address === undefined || address === '') {
      return undefined;
    }
    return parseEngineAddress(address, tlsFromEnv(env, homeDir));
  },
};

/**
 * Finds a rootless engine's socket under `XDG_RUNTIME_DIR`. The docker CLI
 * does not look there, so this strategy is not in {@link DEFAULT_STRATEGIES}.
 */
export const rootlessSocketStrategy: EndpointStrategy = {
  name: 'rootless socket',
  async resolve({ env, exists }) {
    const runtimeDir = env.XDG_RUNTIME_DIR;
    if (runtimeDir === undefined || runtimeDir === '') {
      return undefined;
    }
    return socketIfExists(join(runtimeDir, 'docker.sock'), exists);
  },
};

/**
 * Finds Docker Desktop's per-user socket, `~/.docker/run/docker.sock`. The
 * docker CLI does not look at this path, so this strategy is not in
 * {@link DEFAULT_STRATEGIES}. Docker Desktop's own context, such as
 * `desktop-linux`, is read by the docker context strategy.
 */
export const desktopSocketStrategy: EndpointStrategy = {
  name: 'Docker Desktop socket',
  async resolve({ homeDir, exists }) {
    return socketIfExists(join(homeDir, '.docker', 'run', 'docker.sock'), exists);
  },
};

/** Falls back to `/var/run/docker.sock`, whether or not it exists yet. */
export const defaultSocketStrategy: EndpointStrategy = {
  name: 'default socket',
  async resolve() {
    return { protocol: 'unix', socketPath: DEFAULT_SOCKET_PATH };
  },
};

/**
 * Strategies in the order the docker CLI 20.10 applies them: `DOCKER_HOST`,
 * then the docker context (`DOCKER_CONTEXT`, else `currentContext` in
 * `config.json`), then `/var/run/docker.sock`.
 */
export const DEFAULT_STRATEGIES: readonly EndpointStrategy[] = [
  dockerHostStrategy,
  dockerContextStrategy,
  defaultSocketStrategy,
];

/** Creates the context of the running process. */
export function processStrategyContext(): StrategyContext {
  return { env: process.env, homeDir: homedir(), exists: pathExists };
}

/**
 * Tries each strategy in order and returns the first endpoint found, with the
 * name of the strategy that found it.
 */
export async function findEndpoint(
  strategies: readonly EndpointStrategy[],
  context: StrategyContext,
): Promise<{ endpoint: EngineEndpoint; strategy: string } | undefined> {
  for (const strategy of strategies) {
    const endpoint = await strategy.resolve(context);
    if (endpoint !== undefined) {
      return { endpoint, strategy: strategy.name };
    }
  }
  return undefined;
}

function tlsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  homeDir: string,
): EndpointTls | undefined {
  const verify = isSet(env.DOCKER_TLS_VERIFY);
  if (!verify && !isSet(env.DOCKER_TLS)) {
    return undefined;
  }
  const certPath = isSet(env.DOCKER_CERT_PATH)
    ? String(env.DOCKER_CERT_PATH)
    : join(homeDir, '.docker');
  return { certPath, verify };
}

// The Docker CLI treats any non-empty value, "0" included, as set.
function isSet(value: string | undefined): boolean {
  return value !== undefined && value !== '';
}

async function socketIfExists(
  socketPath: string,
  exists: (path: string) => Promise<boolean>,
): Promise<EngineEndpoint | undefined> {
  return (await exists(socketPath)) ? { protocol: 'unix', socketPath } : undefined;
}

async function pathExists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}
