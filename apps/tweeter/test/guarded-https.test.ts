import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resolver } from '../src/integrations/http/guarded-http-client.js';
import { guardedClient } from './support/servers.js';

/** A self-signed certificate for `name`, made with openssl for this run. */
function certificateFor(name: string, dir: string): { key: Buffer; cert: Buffer } {
  const keyFile = join(dir, `${name}.key`);
  const certFile = join(dir, `${name}.crt`);
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', `/CN=${name}`, '-addext', `subjectAltName=DNS:${name}`,
  ], { stdio: 'ignore' });
  return { key: readFileSync(keyFile), cert: readFileSync(certFile) };
}

let dir: string;
let server: https.Server;
let port: number;
let cert: Buffer;
const seenServerNames: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tweeter-tls-'));
  const pair = certificateFor('mastodon.test', dir);
  cert = pair.cert;
  server = https.createServer({ key: pair.key, cert: pair.cert }, (req, res) => res.end(`hello ${req.headers.host}`));
  server.on('secureConnection', (socket) => seenServerNames.push(String((socket as unknown as { servername?: string }).servername)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('guarded HTTPS', () => {
  const resolver: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];

  it('when the connection is pinned to the checked address, then TLS still names and verifies the host (SNI and certificate)', async () => {
    const http = guardedClient({ allowHttp: false, allowPrivateAddresses: true, resolver, ca: cert });
    try {
      const response = await http.request(`https://mastodon.test:${port}/api/v2/instance`);
      expect(response.body).toBe(`hello mastodon.test:${port}`);
      expect(seenServerNames.at(-1)).toBe('mastodon.test');
    } finally {
      await http.close();
    }
  });

  it('when the certificate is for another name, then the request fails', async () => {
    const http = guardedClient({ allowHttp: false, allowPrivateAddresses: true, resolver, ca: cert });
    try {
      await expect(http.request(`https://other.test:${port}/`)).rejects.toMatchObject({
        code: 'CONNECT_FAILED',
        mayHaveReachedServer: false,
        message: 'the TLS certificate of other.test could not be verified',
      });
    } finally {
      await http.close();
    }
  });
});
