import { existsSync, readFileSync } from 'node:fs';
import { type AgentOptions, Agent as HttpAgent } from 'node:http';
import { Agent } from 'node:https';
import { join } from 'node:path';
import type { DockerOptions } from 'dockerode';
import { EngineAddressError, EngineUnreachableError } from '../errors.js';
import { type EndpointTls, type EngineEndpoint, formatEndpoint } from './endpoint.js';
import { DEFAULT_KEY_FILES, resolveSshAuth, type SshAuth } from './ssh-auth.js';

/** Dockerode options plus the `agent` that docker-modem accepts and the types omit. */
export type ModemOptions = DockerOptions & { agent?: HttpAgent | undefined };

/**
 * Builds dockerode options for an endpoint. Every connection field is set,
 * `undefined` included, because docker-modem merges the options over what it
 * reads from `DOCKER_HOST` itself, and the endpoint must win.
 *
 * @throws {EngineAddressError} when a TLS file cannot be read.
 * @throws {EngineUnreachableError} when an `ssh://` endpoint has no key and no agent.
 */
export function dockerodeOptions(endpoint: EngineEndpoint, ssh?: SshAuth): ModemOptions {
  const cleared: ModemOptions = {
    socketPath: undefined,
    host: undefined,
    port: undefined,
    protocol: 'http',
    ca: undefined,
    cert: undefined,
    key: undefined,
    agent: undefined,
  };
  switch (endpoint.protocol) {
    case 'unix':
      return { ...cleared, socketPath: endpoint.socketPath, agent: socketAgent() };
    case 'tcp':
      return { ...cleared, host: endpoint.host, port: endpoint.port, ...tlsOptions(endpoint) };
    case 'ssh':
      // NOTE: ssh2 gets no hostVerifier, so any host key is accepted; checking
      // ~/.ssh/known_hosts would close that gap.
      return {
        ...cleared,
        protocol: 'ssh',
        host: endpoint.host,
        port: endpoint.port,
        username: endpoint.username,
        sshOptions: sshAuthOrThrow(endpoint, ssh),
      };
  }
}

/**
 * Creates the agent for an engine on a unix socket: the options of Node.js
 * 20's global agent, which docker-modem uses when it gets no agent, plus an
 * empty TLS server name. Without a server name, Node.js 20's http agent works
 * one out from the Host header of each request and checks it with
 * `net.isIP("localhost")`, which took 4 to 6 ms of a cached build (measured
 * on 2 cores). A socket has no TLS, so it needs no server name.
 */
function socketAgent(): HttpAgent {
  const options: AgentOptions & { servername: string } = {
    keepAlive: true,
    scheduling: 'lifo',
    timeout: 5000,
    servername: '',
  };
  return new HttpAgent(options);
}

function sshAuthOrThrow(endpoint: EngineEndpoint, ssh: SshAuth | undefined) {
  const auth = resolveSshAuth(ssh);
  if (auth === undefined) {
    const keys = DEFAULT_KEY_FILES.map((name) => `~/.ssh/${name}`).join(', ');
    const reason =
      `no SSH key to log in with: start ssh-agent and add a key (SSH_AUTH_SOCK), ` +
      `create one of ${keys}, or pass ssh.privateKey`;
    throw new EngineUnreachableError(formatEndpoint(endpoint), reason, {
      dockerContext: endpoint.dockerContext,
    });
  }
  return auth;
}

/** Contents of the TLS files an endpoint uses. */
interface TlsFiles {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

function tlsOptions(endpoint: Extract<EngineEndpoint, { protocol: 'tcp' }>): ModemOptions {
  if (endpoint.tls === undefined) {
    return {};
  }
  const files = readTlsFiles(endpoint.tls, formatEndpoint(endpoint));
  const agent = new Agent({ ...files, keepAlive: true, rejectUnauthorized: endpoint.tls.verify });
  return { protocol: 'https', agent };
}

function readTlsFiles(tls: EndpointTls, address: string): TlsFiles {
  if (tls.filesOptional === true) {
    return readContextTlsFiles(tls, address);
  }
  const hint = 'set DOCKER_CERT_PATH to the folder with ca.pem, cert.pem and key.pem';
  const read = (name: string) => readTlsFile(tls.certPath, name, address, hint);
  const client = { cert: read('cert.pem'), key: read('key.pem') };
  return tls.verify ? { ...client, ca: read('ca.pem') } : client;
}

/**
 * Reads the files in a docker context's TLS folder, as the docker CLI does:
 * `ca.pem` when present, and the client certificate only when both
 * `cert.pem` and `key.pem` are present.
 */
function readContextTlsFiles(tls: EndpointTls, address: string): TlsFiles {
  const hint = "check the files in the docker context's TLS folder";
  const read = (name: string) => {
    const path = join(tls.certPath, name);
    return existsSync(path) ? readTlsFile(tls.certPath, name, address, hint) : undefined;
  };
  const ca = read('ca.pem');
  const cert = read('cert.pem');
  const key = read('key.pem');
  const files: TlsFiles = ca === undefined ? {} : { ca };
  return cert === undefined || key === undefined ? files : { ...files, cert, key };
}

function readTlsFile(folder: string, name: string, address: string, hint: string): Buffer {
  const path = join(folder, name);
  try {
    return readFileSync(path);
  } catch (error) {
    throw new EngineAddressError(address, `cannot read ${path}; ${hint}`, { cause: error });
  }
}
