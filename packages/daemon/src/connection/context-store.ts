import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineAddressError } from '../errors.js';
import type { DockerContextSelection } from './docker-context.js';
import {
  DEFAULT_SOCKET_PATH,
  type EndpointTls,
  type EngineEndpoint,
  parseEngineAddress,
} from './endpoint.js';

/**
 * Reads the docker endpoint of a stored context from
 * `contexts/meta/<sha256 of the name>/meta.json` under `configDir`, with TLS
 * when the context has a `contexts/tls/<same hex>/docker` folder or sets
 * `SkipTLSVerify`. An empty host is the default socket, as in docker 20.10.
 *
 * @throws {EngineAddressError} when the context does not exist, its
 *   `meta.json` cannot be read or parsed, or its host is invalid.
 */
export async function readDockerContextEndpoint(
  configDir: string,
  selection: DockerContextSelection,
): Promise<EngineEndpoint> {
  const id = createHash('sha256').update(selection.name).digest('hex');
  const metaFile = join(configDir, 'contexts', 'meta', id, 'meta.json');
  const docker = dockerEndpointOf(await readMetaFile(metaFile, selection), metaFile, selection);
  const host = stringField(docker, 'Host', metaFile, selection);
  const dockerContext = selection.name;
  if (host === undefined || host === '') {
    return { protocol: 'unix', socketPath: DEFAULT_SOCKET_PATH, dockerContext };
  }

  const skipVerify = booleanField(docker, 'SkipTLSVerify', metaFile, selection) ?? false;
  const tlsDir = join(configDir, 'contexts', 'tls', id, 'docker');
  const useTls = skipVerify || (await isDirectory(tlsDir));
  const tls = useTls ? { certPath: tlsDir, verify: !skipVerify, filesOptional: true } : undefined;
  return { ...parseContextHost(host, tls, selection), dockerContext };
}

async function readMetaFile(metaFile: string, selection: DockerContextSelection): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(metaFile, 'utf8');
  } catch (error) {
    if (isMissing(error)) throw contextNotFound(metaFile, selection, error);
    throw invalidContext(`cannot read ${metaFile}`, selection, error);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalidContext(`${metaFile} is not valid JSON`, selection, error);
  }
}

function dockerEndpointOf(
  meta: unknown,
  metaFile: string,
  selection: DockerContextSelection,
): Record<string, unknown> {
  const endpoints = isObject(meta) ? fieldOf(meta, 'Endpoints') : undefined;
  // Endpoint names are map keys, which encoding/json matches exactly.
  const docker = isObject(endpoints) ? endpoints.docker : undefined;
  if (!isObject(docker)) {
    throw invalidContext(`${metaFile} has no docker endpoint`, selection);
  }
  return docker;
}

function parseContextHost(
  host: string,
  tls: EndpointTls | undefined,
  selection: DockerContextSelection,
): EngineEndpoint {
  try {
    return parseEngineAddress(host, tls);
  } catch (error) {
    if (!(error instanceof EngineAddressError)) throw error;
    throw new EngineAddressError(host, `its host "${host}" cannot be used: ${error.problem}`, {
      dockerContext: selection.name,
      fix: updateHint(selection.name),
      cause: error,
    });
  }
}

function stringField(
  object: Record<string, unknown>,
  name: string,
  metaFile: string,
  selection: DockerContextSelection,
): string | undefined {
  const value = fieldOf(object, name);
  if (value === undefined || value === null || typeof value === 'string') {
    return value ?? undefined;
  }
  throw invalidContext(`${name} in ${metaFile} is not a string`, selection);
}

function booleanField(
  object: Record<string, unknown>,
  name: string,
  metaFile: string,
  selection: DockerContextSelection,
): boolean | undefined {
  const value = fieldOf(object, name);
  if (value === undefined || value === null || typeof value === 'boolean') {
    return value ?? undefined;
  }
  throw invalidContext(`${name} in ${metaFile} is not a boolean`, selection);
}

/**
 * Returns a field as Go's encoding/json finds it for a struct: the exact key
 * first, else any key that differs only in case.
 *
 * @internal
 */
export function fieldOf(object: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(object, name)) {
    return object[name];
  }
  const lower = name.toLowerCase();
  const key = Object.keys(object).find((candidate) => candidate.toLowerCase() === lower);
  return key === undefined ? undefined : object[key];
}

function contextNotFound(
  metaFile: string,
  selection: DockerContextSelection,
  cause: unknown,
): EngineAddressError {
  const fromEnv = selection.source === 'DOCKER_CONTEXT';
  const namedBy = fromEnv ? 'DOCKER_CONTEXT' : `currentContext in ${selection.source}`;
  const fix = fromEnv
    ? 'Set DOCKER_CONTEXT to a name that `docker context ls` lists, or unset it.'
    : 'Switch to an existing context with `docker context use NAME` ' +
      '(`docker context use default` for the default socket), or set DOCKER_HOST.';
  return new EngineAddressError('', `${namedBy} names it, but ${metaFile} does not exist`, {
    dockerContext: selection.name,
    fix,
    cause,
  });
}

function invalidContext(
  problem: string,
  selection: DockerContextSelection,
  cause?: unknown,
): EngineAddressError {
  const fix = updateHint(selection.name);
  const options = { dockerContext: selection.name, fix };
  return new EngineAddressError('', problem, cause === undefined ? options : { ...options, cause });
}

function updateHint(name: string): string {
  return (
    `Set its host with \`docker context update ${name} --docker host=unix:///path/to/docker.sock\`, ` +
    `or recreate it with \`docker context rm ${name}\` and \`docker context create\`.`
  );
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** @internal */
export function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/** @internal */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
