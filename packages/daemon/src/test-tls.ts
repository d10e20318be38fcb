import { readFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { createServer } from 'node:tls';

/** A TLS listener on 127.0.0.1 that requires a client certificate and forwards to the engine. */
export interface TlsEngineProxy extends AsyncDisposable {
  /** Port it listens on. */
  readonly port: number;
}

/** Starts a TLS proxy to the engine socket with the certificates of `makeCertificates` (@gantry/testing). */
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
