import { connect, createServer, type Server, type Socket } from 'node:net';

/** A TCP listener on 127.0.0.1 that forwards to the engine's unix socket. */
export interface EngineProxy extends AsyncDisposable {
  /** Port it listens on. */
  readonly port: number;
  /** Connections accepted so far, the reset ones included. */
  readonly connections: number;
}

/**
 * Starts a TCP proxy to the engine socket. The first `resetFirst`
 * connections are reset at once, as a restarting engine would.
 */
export async function startEngineProxy(
  socketPath = '/var/run/docker.sock',
  resetFirst = 0,
): Promise<EngineProxy> {
  let connections = 0;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    connections++;
    open.add(client);
    client.on('close', () => open.delete(client));
    if (connections <= resetFirst) {
      client.resetAndDestroy();
      return;
    }
    const engine = connect(socketPath);
    client.pipe(engine).pipe(client);
    client.on('error', () => engine.destroy());
    engine.on('error', () => client.destroy());
  });
  const port = await listen(server);
  return {
    port,
    get connections() {
      return connections;
    },
    async [Symbol.asyncDispose]() {
      for (const socket of open) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Returns a port on 127.0.0.1 that nothing listens on. */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('The test proxy has no TCP address.');
  }
  return address.port;
}
