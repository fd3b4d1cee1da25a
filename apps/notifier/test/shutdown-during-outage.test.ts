import { rabbitUrlWithPort, startTcpProxy, testEnv, waitFor, type TcpProxy } from '@trendcast/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNotifier, type NotifierHarness } from './support/service.js';
import { startSmtpCapture, type SmtpCapture } from './support/smtp-capture.js';

describe('shutdown while the broker is unreachable', () => {
  const shutdownTimeoutMs = 6_000;
  let proxy: TcpProxy;
  let smtp: SmtpCapture;
  let h: NotifierHarness;

  beforeAll(async () => {
    // The notifier reaches RabbitMQ only through a proxy the test can silence; the test publishes directly.
    proxy = await startTcpProxy(Number(new URL(testEnv.rabbitUrl).port || 5672));
    smtp = await startSmtpCapture();
    h = await startNotifier({ smtpUrl: smtp.url, env: { RABBITMQ_URL: rabbitUrlWithPort(proxy.port), SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs) } });
  });

  afterAll(async () => {
    proxy?.unstall();
    proxy?.resume();
    await h?.close();
    await smtp?.close();
    await proxy?.close();
  });

  it('when the notifier stops while the broker answers nothing, then its consumer and connections give up within their shares and stop() resolves true within SHUTDOWN_TIMEOUT_MS', async () => {
    // Arrange
    await waitFor(async () => (await h.notifier.app.inject({ method: 'GET', url: '/readyz' })).statusCode === 200, { what: 'ready' });
    proxy.stall();
    proxy.pause();

    // Act
    const began = performance.now();
    const clean = await h.notifier.stop();
    const tookMs = performance.now() - began;

    // Assert
    expect(clean).toBe(true);
    expect(tookMs).toBeLessThan(shutdownTimeoutMs);
    expect(h.notifier.stops.map(([name]) => name)).toEqual(['http', 'event consumer', 'email worker', 'email queue', 'smtp', 'rabbitmq', 'redis']);
  });
});
