// The bundle loads the SSH client and node:https on first use only.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { runGantry } from './test-cli.js';

const run = promisify(execFile);
const folders: string[] = [];

afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function temporaryFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'gantry-deferred-'));
  folders.push(folder);
  return folder;
}

/** Makes a home folder with an SSH key, so gantry reaches the point of connecting. */
async function homeWithKey(): Promise<string> {
  const home = await temporaryFolder();
  await mkdir(join(home, '.ssh'));
  const key = join(home, '.ssh', 'id_ed25519');
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
  return home;
}

describe('deferred modules', () => {
  it('load the SSH client on use', async () => {
    const home = await homeWithKey();
    await writeFile(join(home, 'Dockerfile'), 'FROM busybox:latest\n');
    // Port 1 on loopback has no listener, so the SSH client fails to connect.
    const result = await runGantry(['build', home], {
      env: { HOME: home, SSH_AUTH_SOCK: '', DOCKER_HOST: 'ssh://gantry@127.0.0.1:1' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).not.toContain('Cannot find module');
    expect(result.stderr).toContain('is unreachable (connection refused)');
  });

  it('load node:https for a TLS engine', async () => {
    const folder = await temporaryFolder();
    const openssl = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
    const subject = ['-nodes', '-days', '1', '-subj', '/CN=gantry-test'];
    await run('openssl', [...openssl, ...subject, '-keyout', 'key.pem', '-out', 'cert.pem'], {
      cwd: folder,
    });
    await copyFile(join(folder, 'cert.pem'), join(folder, 'ca.pem'));
    await writeFile(join(folder, 'Dockerfile'), 'FROM busybox:latest\n');
    const result = await runGantry(['build', folder], {
      env: { DOCKER_HOST: 'tcp://127.0.0.1:1', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: folder },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('(TLS) is unreachable (connection refused)');
  });
});
