import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface HostForwarder {
  /** host:port pairs listening, e.g. "172.18.0.1:3000". */
  listening: string[];
  close(): Promise<void>;
}

function pipeBoth(client: Socket, upstream: Socket): void {
  client.pipe(upstream);
  upstream.pipe(client);
  const destroy = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', destroy);
  upstream.on('error', destroy);
  client.on('close', destroy);
  upstream.on('close', destroy);
}

/** One relay: containers connect to `listen`, the native service listens on 127.0.0.1:`target`. */
export interface RelayPort {
  listen: number;
  target: number;
}

/**
 * Native services listen on 127.0.0.1, which containers cannot reach. For
 * each pair this listens on `listenHost`:listen (the project network's
 * gateway, a host address only containers route to) and relays every
 * connection to 127.0.0.1:target. The listening port is never the
 * service's own: a server bound on 0.0.0.0:target must not find it taken.
 */
export async function forwardToLoopback(
  listenHost: string,
  pairs: readonly RelayPort[],
): Promise<HostForwarder> {
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  try {
    for (const { listen, target: port } of pairs) {
      const server = createServer((client) => {
        sockets.add(client);
        client.on('close', () => sockets.delete(client));
        const upstream = createConnection({ host: '127.0.0.1', port });
        sockets.add(upstream);
        upstream.on('close', () => sockets.delete(upstream));
        pipeBoth(client, upstream);
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(listen, listenHost, () => {
          server.off('error', reject);
          resolve();
        });
      });
      servers.push(server);
    }
  } catch (err) {
    for (const s of servers) s.close();
    throw err;
  }
  return {
    listening: pairs.map((p) => `${listenHost}:${p.listen}`),
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
