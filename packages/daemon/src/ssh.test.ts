import { userInfo } from 'node:os';
import { makeTempDir, type TempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connectDockerEngine } from './docker-engine.js';
import { EngineUnreachableError } from './errors.js';
import { BUSYBOX } from './test-engine.js';
import { type SshServer, startSshServer } from './test-ssh.js';

let folder: TempDir;
let server: SshServer;
let host: string;

beforeAll(async () => {
  folder = await makeTempDir();
  server = await startSshServer(folder.path);
  host = `ssh://${userInfo().username}@127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server?.[Symbol.asyncDispose]();
  await folder?.[Symbol.asyncDispose]();
});

describe('ssh:// engine', () => {
  test('negotiates and lists images over ssh', async () => {
    const engine = await connectDockerEngine({ host, ssh: { privateKey: server.clientKey } });
    expect(engine.address).toBe(host);
    expect(engine.apiVersion).toMatch(/^1\.\d+$/);
    await expect(engine.images.exists(BUSYBOX)).resolves.toBe(true);
  });

  test('a key the host does not accept', async () => {
    const connect = connectDockerEngine({ host, ssh: { privateKey: server.strangerKey } });
    await expect(connect).rejects.toThrow(EngineUnreachableError);
    await expect(connect).rejects.toThrow(/SSH authentication failed/);
  });
});
