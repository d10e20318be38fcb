import { EngineAddressError } from '../errors.js';

/**
 * TLS settings of a `tcp://` endpoint, as `DOCKER_TLS_VERIFY` and
 * `DOCKER_CERT_PATH` give them, or a docker context's TLS folder.
 */
export interface EndpointTls {
  /** Folder with `ca.pem`, `cert.pem` and `key.pem`. */
  certPath: string;
  /** Whether the engine's certificate is verified, against `ca.pem` when it is read. */
  verify: boolean;
  /**
   * Whether each file may be missing, as in a docker context: without `ca.pem`
   * the engine is verified against Node.js's bundled CAs, and without both
   * `cert.pem` and `key.pem` no client certificate is sent. Default `false`:
   * `cert.pem` and `key.pem` are required, and `ca.pem` when `verify` is set.
   */
  filesOptional?: boolean;
}

/** Address of a Docker Engine: a unix socket, a TCP port or an SSH host. */
export type EngineEndpoint = (
  | { protocol: 'unix'; socketPath: string }
  | { protocol: 'tcp'; host: string; port: number; tls?: EndpointTls }
  | { protocol: 'ssh'; host: string; port: number; username?: string }
) & {
  /** Name of the docker context the endpoint was read from, for messages. */
  dockerContext?: string;
};

/** Default engine socket on Linux. */
export const DEFAULT_SOCKET_PATH = '/var/run/docker.sock';

/** Default port of a `tcp://` address without one: 2376 with TLS, 2375 without. */
const TCP_PORT = { plain: 2375, tls: 2376 } as const;

/**
 * Parses a `DOCKER_HOST`-style address: `unix:///path`, `tcp://host:port`,
 * `ssh://user@host:port`. A bare `host:port` is read as `tcp://`.
 *
 * @throws {EngineAddressError} when the scheme is unknown or a part is missing.
 * @example parseEngineAddress('tcp://127.0.0.1:2375') // { protocol: 'tcp', host: '127.0.0.1', port: 2375 }
 */
export function parseEngineAddress(address: string, tls?: EndpointTls): EngineEndpoint {
  if (address.startsWith('unix://')) {
    return parseUnixAddress(address);
  }
  const url = parseUrl(address.includes('://') ? address : `tcp://${address}`, address);
  if (url.protocol === 'tcp:') {
    return parseTcpUrl(url, address, tls);
  }
  if (url.protocol === 'ssh:') {
    return parseSshUrl(url, address);
  }
  throw new EngineAddressError(address, `the scheme "${url.protocol}" is not supported`);
}

/** Formats an endpoint as an address for messages and logs. */
export function formatEndpoint(endpoint: EngineEndpoint): string {
  switch (endpoint.protocol) {
    case 'unix':
      return `unix://${endpoint.socketPath}`;
    case 'tcp':
      return `tcp://${endpoint.host}:${endpoint.port}${endpoint.tls ? ' (TLS)' : ''}`;
    case 'ssh': {
      const user = endpoint.username ? `${endpoint.username}@` : '';
      return `ssh://${user}${endpoint.host}:${endpoint.port}`;
    }
  }
}

function parseUnixAddress(address: string): EngineEndpoint {
  const socketPath = address.slice('unix://'.length);
  if (!socketPath.startsWith('/')) {
    throw new EngineAddressError(address, 'a unix socket path must be absolute');
  }
  return { protocol: 'unix', socketPath };
}

function parseTcpUrl(url: URL, address: string, tls?: EndpointTls): EngineEndpoint {
  const host = requireHost(url, address);
  const fallbackPort = tls ? TCP_PORT.tls : TCP_PORT.plain;
  const port = url.port === '' ? fallbackPort : Number(url.port);
  return tls ? { protocol: 'tcp', host, port, tls } : { protocol: 'tcp', host, port };
}

function parseSshUrl(url: URL, address: string): EngineEndpoint {
  const host = requireHost(url, address);
  const port = url.port === '' ? 22 : Number(url.port);
  if (url.username === '') {
    return { protocol: 'ssh', host, port };
  }
  return { protocol: 'ssh', host, port, username: decodeURIComponent(url.username) };
}

function parseUrl(text: string, address: string): URL {
  try {
    return new URL(text);
  } catch (error) {
    throw new EngineAddressError(address, 'it is not a URL', { cause: error });
  }
}

function requireHost(url: URL, address: string): string {
  if (url.hostname === '') {
    throw new EngineAddressError(address, 'the host name is missing');
  }
  // NOTE: URL keeps the brackets of an IPv6 host; the socket API wants it bare.
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}
