import { mkdir, writeFile } from 'node:fs/promises';
import { Agent as HttpsAgent } from 'node:https';
import { makeTempDir } from '@gantry/testing';
import { describe, expect, test } from 'vitest';
import { EngineAddressError } from '../errors.js';
import { dockerodeOptions } from './dockerode-options.js';

describe('dockerodeOptions', () => {
  test('unix socket clears tcp fields', () => {
    const options = dockerodeOptions({ protocol: 'unix', socketPath: '/run/docker.sock' });
    expect(options.socketPath).toBe('/run/docker.sock');
    expect(options.host).toBeUndefined();
    expect(options.protocol).toBe('http');
  });

  test('ssh carries user and port', () => {
    const endpoint = { protocol: 'ssh', host: 'h', port: 2222, username: 'me' } as const;
    const options = dockerodeOptions(endpoint, { privateKey: 'KEY' });
    expect(options).toMatchObject({ protocol: 'ssh', host: 'h', port: 2222, username: 'me' });
    expect(options.sshOptions).toEqual({ privateKey: 'KEY' });
  });

  test('TLS reads the three files', async () => {
    await using certs = await makeTempDir();
    for (const name of ['ca.pem', 'cert.pem', 'key.pem']) {
      await writeFile(`${certs.path}/${name}`, `${name} contents`);
    }
    const tls = { certPath: certs.path, verify: true };
    const options = dockerodeOptions({ protocol: 'tcp', host: 'h', port: 2376, tls });
    expect(options.protocol).toBe('https');
    expect(options.agent).toBeInstanceOf(HttpsAgent);
    const agent = options.agent as HttpsAgent;
    expect(agent.options).toMatchObject({ rejectUnauthorized: true });
    expect(String(agent.options.ca)).toBe('ca.pem contents');
  });

  test('TLS with a missing file', async () => {
    await using certs = await makeTempDir();
    const tls = { certPath: certs.path, verify: true };
    const build = () => dockerodeOptions({ protocol: 'tcp', host: 'h', port: 2376, tls });
    expect(build).toThrow(EngineAddressError);
    expect(build).toThrow(/cert\.pem/);
  });

  test('context TLS with only ca.pem', async () => {
    await using certs = await makeTempDir();
    await writeFile(`${certs.path}/ca.pem`, 'ca.pem contents');
    const tls = { certPath: certs.path, verify: true, filesOptional: true };
    const options = dockerodeOptions({ protocol: 'tcp', host: 'h', port: 2376, tls });
    const agent = options.agent as HttpsAgent;
    expect(String(agent.options.ca)).toBe('ca.pem contents');
    expect(agent.options.cert).toBeUndefined();
    expect(agent.options.key).toBeUndefined();
  });

  test('context TLS with a client certificate', async () => {
    await using certs = await makeTempDir();
    await writeFile(`${certs.path}/cert.pem`, 'cert.pem contents');
    await writeFile(`${certs.path}/key.pem`, 'key.pem contents');
    const tls = { certPath: certs.path, verify: false, filesOptional: true };
    const options = dockerodeOptions({ protocol: 'tcp', host: 'h', port: 2376, tls });
    const agent = options.agent as HttpsAgent;
    expect(agent.options.ca).toBeUndefined();
    expect(String(agent.options.cert)).toBe('cert.pem contents');
    expect(String(agent.options.key)).toBe('key.pem contents');
    expect(agent.options).toMatchObject({ rejectUnauthorized: false });
  });

  test('context TLS with cert.pem but no key.pem', async () => {
    await using certs = await makeTempDir();
    await writeFile(`${certs.path}/cert.pem`, 'cert.pem contents');
    const tls = { certPath: certs.path, verify: true, filesOptional: true };
    const options = dockerodeOptions({ protocol: 'tcp', host: 'h', port: 2376, tls });
    const agent = options.agent as HttpsAgent;
    expect(options.protocol).toBe('https');
    expect(agent.options.cert).toBeUndefined();
  });

  test('context TLS with an unreadable file', async () => {
    await using certs = await makeTempDir();
    await mkdir(`${certs.path}/ca.pem`);
    const tls = { certPath: certs.path, verify: true, filesOptional: true };
    const build = () => dockerodeOptions({ protocol: 'tcp', host: 'h', port: 2376, tls });
    expect(build).toThrow(EngineAddressError);
    expect(build).toThrow(
      /cannot read .*ca\.pem; check the files in the docker context's TLS folder/,
    );
  });
});
