import { startRabbitProxy, stopDuringBrokerOutage, waitFor } from '@trendcast/testing';
import { describe, expect, it } from 'vitest';
import { startNotifier } from './support/service.js';
import { startSmtpCapture } from './support/smtp-capture.js';

describe('shutdown while the broker is unreachable', () => {
  it('when the notifier stops while the broker answers nothing, then its consumer and connections give up within their shares and stop() resolves true within SHUTDOWN_TIMEOUT_MS', async () => {
    // The notifier reaches RabbitMQ only through a proxy the test can silence; the harness publishes directly.
    const [proxy, smtp] = await Promise.all([startRabbitProxy(), startSmtpCapture()]);
    const h = await startNotifier({ smtpUrl: smtp.url, env: { RABBITMQ_URL: proxy.url, SHUTDOWN_TIMEOUT_MS: '6000' } });
    await waitFor(() => h.notifier.bus.checkReady().then(() => true), { what: 'consuming' });

    const outcome = await stopDuringBrokerOutage(proxy, h.notifier);

    proxy.restore();
    await h.close();
    await Promise.all([smtp.close(), proxy.close()]);
    expect(outcome.clean).toBe(true);
    expect(outcome.tookMs).toBeLessThan(6_000);
    expect(h.notifier.stops.map(([name]) => name)).toEqual(['http', 'event consumer', 'email worker', 'email queue', 'smtp', 'rabbitmq', 'redis']);
  });
});
