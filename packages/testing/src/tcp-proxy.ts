import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** Destroys every open connection, as a network failure would; new connections are still accepted. */
  cutAll(): void;
  /** Refuses new connections until `resume()`, to hold a client in its reconnect loop. */
  pause(): void;
  resume(): void;
  /**
   * Stops reading what clients send (connections stay open) until `unstall()`: a peer that stops
   * draining its socket, so the client's writes back up as they would against a stalled broker.
   */
  stall(): void;
  unstall(): void;
  connectionCount(): number;
  close(): Promise<void>;
}

/** A loopback TCP proxy to a real server that a test can cut, to simulate a broken network. */
export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  let paused = false;
  let stalled = false;
  const server = net.createServer((client) => {
    if (paused) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, targetHost);
    const pair = { client, upstream };
    pairs.add(pair);
    const end = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
    if (stalled) client.pause();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('proxy did not bind a TCP port');
  const cutAll = () => {
    for (const { client, upstream } of pairs) {
      client.destroy();
      upstream.destroy();
    }
    pairs.clear();
  };
  return {
    port: address.port,
    cutAll,
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
    },
    stall: () => {
      stalled = true;
      for (const { client, upstream: target } of pairs) {
        client.unpipe(target);
        client.pause();
      }
    },
    unstall: () => {
      stalled = false;
      for (const { client, upstream: target } of pairs) {
        client.pipe(target);
        client.resume();
      }
    },
    connectionCount: () => pairs.size,
    close: async () => {
      cutAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
