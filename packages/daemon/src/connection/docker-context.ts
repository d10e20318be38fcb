import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineAddressError } from '../errors.js';
import { log } from '../log.js';
import { fieldOf, isMissing, isObject, readDockerContextEndpoint } from './context-store.js';
import type { EndpointStrategy } from './strategies.js';

/**
 * Name of the context that means `DOCKER_HOST` or the default socket. The
 * docker CLI reserves it, so no stored context has this name.
 */
export const DEFAULT_CONTEXT_NAME = 'default';

/** Context name and the setting that selected it. */
export interface DockerContextSelection {
  /** Context name, such as `desktop-linux`. */
  name: string;
  /** `DOCKER_CONTEXT`, or the path of the `config.json` whose `currentContext` names it. */
  source: string;
}

/**
 * Strategy that reads the docker context the docker CLI 20.10 would use:
 * the one `DOCKER_CONTEXT` names, else `currentContext` in
 * `config.json` of `DOCKER_CONFIG` (default `~/.docker`). It does not apply
 * when `DOCKER_HOST` is set, even to an empty string, or when the name is
 * `default`. A `config.json` that cannot be read or parsed is ignored, as the
 * docker CLI ignores it after a warning.
 *
 * @throws {EngineAddressError} when the named context does not exist, its
 *   `meta.json` cannot be read or parsed, or its host is invalid.
 */
export const dockerContextStrategy: EndpointStrategy = {
  name: 'docker context',
  async resolve({ env, homeDir }) {
    // NOTE: docker 20.10 skips contexts when DOCKER_HOST is set to an empty
    // string too. Newer docker CLIs read contexts in that case.
    if (env.DOCKER_HOST !== undefined) {
      return undefined;
    }
    const configDir = dockerConfigDir(env, homeDir);
    const selection = await selectDockerContext(env, configDir);
    if (selection === undefined || selection.name === DEFAULT_CONTEXT_NAME) {
      return undefined;
    }
    log('docker context %s, named by %s', selection.name, selection.source);
    return readDockerContextEndpoint(configDir, selection);
  },
};

/** Returns the docker CLI's configuration folder: `DOCKER_CONFIG`, else `~/.docker`. */
export function dockerConfigDir(
  env: Readonly<Record<string, string | undefined>>,
  homeDir: string,
): string {
  const configured = env.DOCKER_CONFIG;
  return configured === undefined || configured === '' ? join(homeDir, '.docker') : configured;
}

/**
 * Returns the context that `DOCKER_CONTEXT` or `currentContext` in
 * `config.json` names, or `undefined` when neither names one.
 *
 * @throws {EngineAddressError} when `DOCKER_CONTEXT` is set to an empty string,
 *   which docker 20.10 rejects too.
 */
export async function selectDockerContext(
  env: Readonly<Record<string, string | undefined>>,
  configDir: string,
): Promise<DockerContextSelection | undefined> {
  const fromEnv = env.DOCKER_CONTEXT;
  if (fromEnv === '') {
    throw new EngineAddressError('', 'DOCKER_CONTEXT is set to an empty string', {
      dockerContext: '',
      fix: 'Unset DOCKER_CONTEXT, or set it to a name that `docker context ls` lists.',
    });
  }
  if (fromEnv !== undefined) {
    return { name: fromEnv, source: 'DOCKER_CONTEXT' };
  }
  const configFile = join(configDir, 'config.json');
  const name = await readCurrentContext(configFile);
  return name === undefined ? undefined : { name, source: configFile };
}

async function readCurrentContext(configFile: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(configFile, 'utf8');
  } catch (error) {
    if (!isMissing(error)) log('ignoring %s: %O', configFile, error);
    return undefined;
  }
  const config = parseConfig(text, configFile);
  const name = config === undefined ? undefined : fieldOf(config, 'currentContext');
  if (name === undefined || name === null || name === '') {
    return undefined;
  }
  if (typeof name !== 'string') {
    log('ignoring %s: currentContext is not a string', configFile);
    return undefined;
  }
  return name;
}

function parseConfig(text: string, configFile: string): Record<string, unknown> | undefined {
  if (text.trim() === '') {
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (isObject(parsed)) return parsed;
    if (parsed !== null) log('ignoring %s: it is not a JSON object', configFile);
  } catch (error) {
    log('ignoring %s: %O', configFile, error);
  }
  return undefined;
}
