import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { createServer } from 'node:tls';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A TLS listener on 127.0.0.1 that requires a client certificate and forwards to the engine. */
export interface TlsEngineProxy extends AsyncDisposable {
  /** Port it listens on. */
  readonly port: number;
}

/**
 * Writes `ca.pem`, `cert.pem` and `key.pem` for a client into `folder`, as
 * `DOCKER_CERT_PATH` expects them, plus the server's pair. The server
 * certificate is valid for 127.0.0.1.
 */
export async function makeCertificates(folder: string): Promise<void> {
  const openssl = (...args: string[]) => run('openssl', args, { cwd: folder });
  await openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=gantry test CA',
    '-keyout',
    'ca-key.pem',
    '-out',
    'ca.pem',
  );
  await signedPair(folder, openssl, 'server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1');
  await signedPair(
    folder,
    openssl,
    'client',
    '/CN=gantry test client',
    'extendedKeyUsage=clientAuth',
  );
  await writeFile(join(folder, 'cert.pem'), await readFile(join(folder, 'client-cert.pem')));
  await writeFile(join(folder, 'key.pem'), await readFile(join(folder, 'client-key.pem')));
}

/** Starts a TLS proxy to the engine socket with the certificates of {@link makeCertificates}. */
export async function startTlsEngineProxy(folder: string): Promise<TlsEngineProxy> {
  const read = (name: string) => readFile(join(folder, name));
  const open = new Set<Socket>();
  const server = createServer({
    key: await read('server-key.pem'),
    cert: await read('server-cert.pem'),
    ca: await read('ca.pem'),
    requestCert: true,
    rejectUnauthorized: true,
  });
  server.on('secureConnection', (client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    const engine = connect('/var/run/docker.sock');
    client.pipe(engine).pipe(client);
    client.on('error', () => engine.destroy());
    engine.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    async [Symbol.asyncDispose]() {
      for (const socket of open) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function signedPair(
  folder: string,
  openssl: (...args: string[]) => Promise<unknown>,
  name: string,
  subject: string,
  extension: string,
): Promise<void> {
  await openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    subject,
    '-keyout',
    `${name}-key.pem`,
    '-out',
    `${name}.csr`,
  );
  await writeFile(join(folder, `${name}.ext`), `${extension}\n`);
  await openssl(
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca-key.pem',
    '-CAcreateserial',
    '-days',
    '1',
    '-out',
    `${name}-cert.pem`,
    '-extfile',
    `${name}.ext`,
  );
}
