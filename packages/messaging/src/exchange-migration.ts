import { silentLogger, type Logger } from '@trendcast/core';
import { ensureProducerExchange } from './producer-exchange.js';
import type { RabbitConnection } from './rabbit-connection.js';
import { assertProducerExchange } from './topology.js';
import { withChannel } from './with-channel.js';

/**
 * Gives a producer exchange declared before unrouted parking its alternate exchange. An exchange's
 * arguments cannot change in place, so it is deleted and declared again, and that drops every binding
 * to it: each consuming service binds its queues again when it next starts (or runs
 * EventConsumer.declareTopology / migrateQueues). Events published before they do are not lost: the
 * new exchange parks them in `<exchange>.unrouted`, from where they are replayed (replayParked, or
 * the dead-letters CLI) once every consumer is bound. So: stop the producers' relays, migrate, start
 * the consumers, replay what was parked, start the producers. A no-op once done.
 */
export async function migrateProducerExchange(connection: RabbitConnection, exchange: string, options: { logger?: Logger } = {}): Promise<'already-current' | 'recreated'> {
  const logger = (options.logger ?? silentLogger).child({ component: 'exchange-migration', exchange });
  const live = await connection.waitForConnection(10_000);
  if ((await ensureProducerExchange(live, exchange, logger)) === 'parked') return 'already-current';
  await withChannel(connection, async (channel) => {
    await channel.deleteExchange(exchange);
    await assertProducerExchange(channel, exchange);
  });
  logger.warn({}, 'producer exchange declared again with its unrouted queue; consumers must bind their queues again');
  return 'recreated';
}
