/**
 * Certificates for tests of TLS connections: a certificate authority and
 * pairs signed by it, made with the `openssl` command into a folder.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Writes `ca.pem`, `cert.pem` and `key.pem` for a client into `folder`, as
 * `DOCKER_CERT_PATH` expects them, plus the server's pair. The server
 * certificate is valid for 127.0.0.1 and the host names in `serverNames`.
 */
export async function makeCertificates(
  folder: string,
  serverNames: readonly string[] = [],
): Promise<void> {
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
  await signedPair(
    folder,
    openssl,
    'server',
    '/CN=127.0.0.1',
    `subjectAltName=IP:127.0.0.1${serverNames.map((name) => `,DNS:${name}`).join('')}`,
  );
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
