import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from '@gantry/testing';
import { describe, expect, test } from 'vitest';
import { resolveSshAuth } from './ssh-auth.js';

describe('resolveSshAuth', () => {
  test('a given key wins over the agent', async () => {
    await using home = await makeTempDir();
    const auth = resolveSshAuth(
      { privateKey: 'KEY', passphrase: 'p' },
      { SSH_AUTH_SOCK: '/a' },
      home.path,
    );
    expect(auth).toEqual({ privateKey: 'KEY', passphrase: 'p' });
  });

  test('the agent wins over default keys', async () => {
    await using home = await makeTempDir();
    await mkdir(join(home.path, '.ssh'));
    await writeFile(join(home.path, '.ssh', 'id_rsa'), 'RSA');
    expect(resolveSshAuth({}, { SSH_AUTH_SOCK: '/agent.sock' }, home.path)).toEqual({
      agent: '/agent.sock',
    });
  });

  test('default keys in the OpenSSH order', async () => {
    await using home = await makeTempDir();
    await mkdir(join(home.path, '.ssh'));
    await writeFile(join(home.path, '.ssh', 'id_ed25519'), 'ED25519');
    await writeFile(join(home.path, '.ssh', 'id_ecdsa'), 'ECDSA');
    const auth = resolveSshAuth({}, {}, home.path);
    expect(auth?.privateKey?.toString()).toBe('ECDSA');
  });

  test('nothing to log in with', async () => {
    await using home = await makeTempDir();
    expect(resolveSshAuth({ agent: '' }, { SSH_AUTH_SOCK: '' }, home.path)).toBeUndefined();
  });
});
