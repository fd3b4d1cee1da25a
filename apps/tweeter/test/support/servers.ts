import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GuardedHttpClient, type GuardedHttpOptions } from '../../src/integrations/http/guarded-http-client.js';

export interface TestServer {
  url: string;
  port: number;
  hits: Array<{ method: string; path: string; headers: http.IncomingHttpHeaders }>;
  close(): Promise<void>;
}

/** A plain HTTP server on `host` that records what reaches it and answers with `handler`. */
export async function startServer(
  handler: (request: http.IncomingMessage, response: http.ServerResponse) => void,
  host = '127.0.0.1',
  port = 0,
): Promise<TestServer> {
  const hits: TestServer['hits'] = [];
  const server = http.createServer((request, response) => {
    hits.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers });
    handler(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actual}`,
    port: actual,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function guardedClient(overrides: Partial<GuardedHttpOptions> = {}): GuardedHttpClient {
  return new GuardedHttpClient({
    allowHttp: true,
    allowPrivateAddresses: false,
    allowedRanges: [],
    timeoutMs: 2_000,
    connectTimeoutMs: 1_000,
    maxResponseBytes: 64 * 1024,
    maxRedirects: 3,
    userAgent: 'Trendcast tests',
    ...overrides,
  });
}
