import { createHash } from 'node:crypto';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeCertificates, makeTempDir, type TempDir } from '@gantry/testing';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { connectDockerEngine } from './docker-engine.js';
import { EngineUnreachableError } from './errors.js';
import { startTlsEngineProxy, type TlsEngineProxy } from './test-tls.js';

let certs: TempDir;
let otherCerts: TempDir;
let proxy: TlsEngineProxy;

beforeAll(async () => {
  certs = await makeTempDir();
  otherCerts = await makeTempDir();
  await makeCertificates(certs.path);
  await makeCertificates(otherCerts.path);
  proxy = await startTlsEngineProxy(certs.path);
});
afterAll(async () => {
  await proxy[Symbol.asyncDispose]();
  await certs[Symbol.asyncDispose]();
  await otherCerts[Symbol.asyncDispose]();
});

function tlsContext(certPath: string) {
  const env = {
    DOCKER_HOST: `tcp://127.0.0.1:${proxy.port}`,
    DOCKER_TLS_VERIFY: '1',
    DOCKER_CERT_PATH: certPath,
  };
  return { env, homeDir: '/nonexistent', exists: async () => false };
}

test('TLS with client certificates', async () => {
  const engine = await connectDockerEngine({ strategyContext: tlsContext(certs.path) });
  expect(engine.address).toBe(`tcp://127.0.0.1:${proxy.port} (TLS)`);
  expect((await engine.system.version()).ApiVersion).toMatch(/^1\./);
});

test('TLS engine signed by another CA', async () => {
  const connect = connectDockerEngine({ strategyContext: tlsContext(otherCerts.path) });
  await expect(connect).rejects.toThrow(EngineUnreachableError);
  await expect(connect).rejects.toThrow(/TLS handshake failed with SELF_SIGNED_CERT_IN_CHAIN/);
  await expect(connect).rejects.toThrow(/Check ca.pem .* in DOCKER_CERT_PATH/);
  await expect(connect).rejects.not.toThrow(/Start the engine/);
});

test('TLS context whose authority did not sign the engine', async () => {
  await using config = await makeTempDir();
  const id = createHash('sha256').update('other-ca').digest('hex');
  const metaDir = join(config.path, 'contexts', 'meta', id);
  const tlsDir = join(config.path, 'contexts', 'tls', id, 'docker');
  await mkdir(metaDir, { recursive: true });
  await mkdir(tlsDir, { recursive: true });
  const docker = { Host: `tcp://127.0.0.1:${proxy.port}`, SkipTLSVerify: false };
  await writeFile(join(metaDir, 'meta.json'), JSON.stringify({ Endpoints: { docker } }));
  for (const name of ['ca.pem', 'cert.pem', 'key.pem']) {
    await copyFile(join(otherCerts.path, name), join(tlsDir, name));
  }
  const env = { DOCKER_CONFIG: config.path, DOCKER_CONTEXT: 'other-ca' };
  const connect = connectDockerEngine({
    strategyContext: { env, homeDir: config.path, exists: async () => false },
    retry: { retries: 0, initialDelayMs: 0 },
  });
  await expect(connect).rejects.toThrow(/Check ca.pem .* of docker context "other-ca"/);
  await expect(connect).rejects.not.toThrow(/DOCKER_CERT_PATH|Start the engine/);
});

test('TLS client certificate the engine never signed', async () => {
  await using stranger = await makeTempDir();
  await copyFile(join(certs.path, 'ca.pem'), join(stranger.path, 'ca.pem'));
  await copyFile(join(otherCerts.path, 'cert.pem'), join(stranger.path, 'cert.pem'));
  await copyFile(join(otherCerts.path, 'key.pem'), join(stranger.path, 'key.pem'));
  const connect = connectDockerEngine({
    strategyContext: tlsContext(stranger.path),
    retry: { retries: 0, initialDelayMs: 0 },
  });
  await expect(connect).rejects.toThrow(EngineUnreachableError);
});

test('TLS through a docker context', async () => {
  await using config = await makeTempDir();
  const id = createHash('sha256').update('tls-proxy').digest('hex');
  const metaDir = join(config.path, 'contexts', 'meta', id);
  const tlsDir = join(config.path, 'contexts', 'tls', id, 'docker');
  await mkdir(metaDir, { recursive: true });
  await mkdir(tlsDir, { recursive: true });
  const docker = { Host: `tcp://127.0.0.1:${proxy.port}`, SkipTLSVerify: false };
  await writeFile(
    join(metaDir, 'meta.json'),
    JSON.stringify({ Name: 'tls-proxy', Endpoints: { docker } }),
  );
  for (const name of ['ca.pem', 'cert.pem', 'key.pem']) {
    await copyFile(join(certs.path, name), join(tlsDir, name));
  }
  const env = { DOCKER_CONFIG: config.path, DOCKER_CONTEXT: 'tls-proxy' };
  const engine = await connectDockerEngine({
    strategyContext: { env, homeDir: config.path, exists: async () => false },
  });
  expect(engine.address).toBe(`tcp://127.0.0.1:${proxy.port} (TLS)`);
  expect((await engine.system.version()).ApiVersion).toMatch(/^1\./);
});

test('TLS context without a client certificate', async () => {
  await using config = await makeTempDir();
  const id = createHash('sha256').update('no-client-cert').digest('hex');
  const metaDir = join(config.path, 'contexts', 'meta', id);
  const tlsDir = join(config.path, 'contexts', 'tls', id, 'docker');
  await mkdir(metaDir, { recursive: true });
  await mkdir(tlsDir, { recursive: true });
  const docker = { Host: `tcp://127.0.0.1:${proxy.port}`, SkipTLSVerify: false };
  await writeFile(join(metaDir, 'meta.json'), JSON.stringify({ Endpoints: { docker } }));
  await copyFile(join(certs.path, 'ca.pem'), join(tlsDir, 'ca.pem'));
  const env = { DOCKER_CONFIG: config.path, DOCKER_CONTEXT: 'no-client-cert' };
  const connect = connectDockerEngine({
    strategyContext: { env, homeDir: config.path, exists: async () => false },
    retry: { retries: 0, initialDelayMs: 0 },
  });
  await expect(connect).rejects.toThrow(EngineUnreachableError);
});
