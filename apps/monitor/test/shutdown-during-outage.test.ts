import { startRabbitProxy, stopDuringBrokerOutage } from '@trendcast/testing';
import { describe, expect, it } from 'vitest';
import { startMonitor } from './support/service.js';

describe('shutdown while the broker is unreachable', () => {
  it('when the monitor stops in the middle of a refresh the broker never answers, then each step gives up within its share and stop() resolves true within SHUTDOWN_TIMEOUT_MS', async () => {
    // The monitor reaches RabbitMQ only through a proxy the test silences.
    const proxy = await startRabbitProxy();
    const h = await startMonitor({ env: { RABBITMQ_URL: proxy.url, SHUTDOWN_TIMEOUT_MS: '6000' } });

    const outcome = await stopDuringBrokerOutage(proxy, h.monitor, async () => {
      // A round counting the parked queues, stuck on the silent broker when the stop begins.
      void h.monitor.refresh();
    });

    proxy.restore();
    await h.close();
    await proxy.close();
    expect(outcome.clean).toBe(true);
    expect(outcome.tookMs).toBeLessThan(6_000);
    expect(h.monitor.stops.map(([name]) => name)).toEqual(['http', 'refresh loop', 'queues', 'rabbitmq', 'redis']);
  });
});
