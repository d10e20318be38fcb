import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { join } from 'node:path';
import type { DockerOptions } from 'dockerode';
import { EngineAddressError } from '../errors.js';
import { type EndpointTls, type EngineEndpoint, formatEndpoint } from './endpoint.js';

/** Dockerode options plus the `agent` that docker-modem accepts and the types omit. */
export type ModemOptions = DockerOptions & { agent?: Agent | undefined };

/**
 * Builds dockerode options for an endpoint. Every connection field is set,
 * `undefined` included, because docker-modem merges the options over what it
 * reads from `DOCKER_HOST` itself, and the endpoint must win.
 *
 * @throws {EngineAddressError} when a TLS file cannot be read.
 */
export function dockerodeOptions(endpoint: EngineEndpoint): ModemOptions {
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
      return { ...cleared, socketPath: endpoint.socketPath };
    case 'tcp':
      return { ...cleared, host: endpoint.host, port: endpoint.port, ...tlsOptions(endpoint) };
    case 'ssh':
      // NOTE: tested for the options only; no SSH engine runs on the test machine.
      return {
        ...cleared,
        protocol: 'ssh',
        host: endpoint.host,
        port: endpoint.port,
        username: endpoint.username,
      };
  }
}

function tlsOptions(endpoint: Extract<EngineEndpoint, { protocol: 'tcp' }>): ModemOptions {
  if (endpoint.tls === undefined) {
    return {};
  }
  const files = readTlsFiles(endpoint.tls, formatEndpoint(endpoint));
  const agent = new Agent({ ...files, keepAlive: true, rejectUnauthorized: endpoint.tls.verify });
  return { protocol: 'https', agent };
}

function readTlsFiles(
  tls: EndpointTls,
  address: string,
): { ca?: Buffer; cert: Buffer; key: Buffer } {
  const read = (name: string): Buffer => {
    const path = join(tls.certPath, name);
    try {
      return readFileSync(path);
    } catch (error) {
      const hint = 'set DOCKER_CERT_PATH to the folder with ca.pem, cert.pem and key.pem';
      throw new EngineAddressError(address, `cannot read ${path}; ${hint}`, { cause: error });
    }
  };
  const client = { cert: read('cert.pem'), key: read('key.pem') };
  return tls.verify ? { ...client, ca: read('ca.pem') } : client;
}
