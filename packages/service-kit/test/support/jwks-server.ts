import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';

export interface JwksServer {
  url: string;
  /** How many times the key set was fetched. */
  fetches(): number;
  setKeys(keys: JWK[]): void;
  close(): Promise<void>;
}

/** Serves a JWKS the way the users service does, on a free loopback port. */
export async function startJwksServer(keys: JWK[]): Promise<JwksServer> {
  let current = keys;
  let fetches = 0;
  const server: Server = createServer((request, response) => {
    fetches += 1;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys: current }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/users/.well-known/jwks.json`,
    fetches: () => fetches,
    setKeys: (next) => {
      current = next;
    },
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
