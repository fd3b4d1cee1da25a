import { openConnectionsTo, sleep, startRabbitProxy, stopDuringBrokerOutage, waitFor } from '@trendcast/testing';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { register, startHarness } from './support/service.js';

describe('shutdown while the broker is unreachable', () => {
  it('when users stops while the broker answers nothing and a registration\'s events wait in the outbox, then stop() resolves true within SHUTDOWN_TIMEOUT_MS, its pool is closed and the events stay unsent', async () => {
    const proxy = await startRabbitProxy();
    const h = await startHarness({ env: { RABBITMQ_URL: proxy.url, SHUTDOWN_TIMEOUT_MS: '8000' } });
    try {
      await waitFor(() => h.service.bus.checkReady().then(() => true), { what: 'ready' });

      // Pending at the stop: a registration's events, the relay's batch waiting for confirms that never come.
      const { clean, tookMs } = await stopDuringBrokerOutage(proxy, h.service, () => register(h).then(() => sleep(300)));

      expect({ clean, withinBudget: tookMs < 8_000 }).toEqual({ clean: true, withinBudget: true });
      expect(await openConnectionsTo(h.database.name)).toBe(0);
      const sql = postgres(h.database.url, { max: 1, onnotice: () => {} });
      const rows = await sql<Array<{ type: string; sent: boolean }>>`select type, sent_at is not null as sent from outbox_messages`.finally(() => sql.end());
      expect(rows.filter((row) => row.type === 'users.user.registered')).toEqual([{ type: 'users.user.registered', sent: false }]);
    } finally {
      proxy.restore();
      await h.close();
      await proxy.close();
    }
  });
});
