import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { listen } from '../src/index.js';
import { buildTestApp } from './support/test-app.js';

/** A raw keep-alive connection, so the test controls exactly when each request is sent. */
function rawConnection(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString('utf8')));
  return {
    send: (request: string) => socket.write(request),
    received: () => received,
    closed: new Promise<void>((resolve) => socket.on('close', () => resolve())),
  };
}

describe('closing the app', () => {
  it('when the app closes during a request on a keep-alive connection, then the request is answered and close does not wait for the connection', async () => {
    const { app } = await buildTestApp();
    let markStarted!: () => void;
    const slowStarted = new Promise<void>((resolve) => (markStarted = resolve));
    app.post('/testsvc/slow', async () => {
      markStarted();
      await sleep(300);
      return { done: true };
    });
    const { port } = await listen(app, { host: '127.0.0.1', port: 0 });
    const connection = rawConnection(port);

    connection.send('POST /testsvc/slow HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n');
    await slowStarted;
    await app.close();
    await connection.closed;

    expect(connection.received()).toMatch(/^HTTP\/1\.1 200/);
    expect(connection.received()).toMatch(/connection: close/i);
    expect(connection.received()).toContain('{"done":true}');
  });

  it('when a request arrives on an open connection while closing, then 503 SHUTTING_DOWN in the usual error shape', async () => {
    const { app } = await buildTestApp();
    app.get('/testsvc/ping', async () => ({ pong: true }));
    let markClosing!: () => void;
    const closingStarted = new Promise<void>((resolve) => (markClosing = resolve));
    // Another plugin's slow preClose hook holds the server open, as a real one (flushing a buffer) might.
    app.addHook('preClose', async () => {
      markClosing();
      await sleep(300);
    });
    const { port } = await listen(app, { host: '127.0.0.1', port: 0 });
    const connection = rawConnection(port);
    connection.send('GET /testsvc/ping HTTP/1.1\r\nHost: x\r\n\r\n');
    await expect.poll(() => connection.received()).toContain('{"pong":true}');

    const closing = app.close();
    await closingStarted;
    connection.send('GET /testsvc/ping HTTP/1.1\r\nHost: x\r\n\r\n');
    await connection.closed;
    await closing;

    const second = connection.received().split(/(?=HTTP\/1\.1 )/)[1];
    expect(second).toMatch(/^HTTP\/1\.1 503/);
    expect(second).toMatch(/retry-after: 1/i);
    expect(second).toContain('{"error":"Service is shutting down","code":"SHUTTING_DOWN"}');
  });
});
