// The bundle leaves the SSH client in a file of its own, loaded on first use.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
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

/** Makes a home folder with an SSH key, so gantry reaches the point of connecting. */
async function homeWithKey(): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'gantry-ssh-home-'));
  folders.push(home);
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
});
