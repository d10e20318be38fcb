import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** An sshd on 127.0.0.1 that lets one key log in, for the `ssh://` engine tests. */
export interface SshServer extends AsyncDisposable {
  readonly port: number;
  /** Private key that may log in. */
  readonly clientKey: Buffer;
  /** Private key that may not log in. */
  readonly strangerKey: Buffer;
}

/**
 * Starts Debian's sshd (`/usr/sbin/sshd`, package openssh-server) in the
 * foreground with its own host key and a throw-away configuration in `folder`.
 */
export async function startSshServer(folder: string): Promise<SshServer> {
  for (const name of ['host', 'client', 'stranger']) {
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(folder, name)]);
  }
  // sshd refuses to start without its privilege separation folder.
  await mkdir('/run/sshd', { recursive: true });
  const port = await freePort();
  const sshd = spawn(
    '/usr/sbin/sshd',
    [
      '-D',
      '-e',
      ...['-f', '/dev/null', '-p', String(port), '-h', join(folder, 'host')],
      ...[
        '-o',
        'ListenAddress=127.0.0.1',
        '-o',
        `AuthorizedKeysFile=${join(folder, 'client.pub')}`,
      ],
      ...['-o', 'PermitRootLogin=prohibit-password', '-o', 'StrictModes=no'],
      ...['-o', 'PidFile=none', '-o', 'UsePAM=no'],
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  await waitForPort(port, sshd);
  return {
    port,
    clientKey: await readFile(join(folder, 'client')),
    strangerKey: await readFile(join(folder, 'stranger')),
    async [Symbol.asyncDispose]() {
      sshd.kill();
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port was assigned');
  return address.port;
}

async function waitForPort(port: number, sshd: ChildProcess): Promise<void> {
  let log = '';
  sshd.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  for (let attempt = 0; attempt < 100; attempt++) {
    if (sshd.exitCode !== null) throw new Error(`sshd exited with ${sshd.exitCode}: ${log}`);
    if (await accepts(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  sshd.kill();
  throw new Error(`sshd did not listen on 127.0.0.1:${port} within 5 s: ${log}`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
