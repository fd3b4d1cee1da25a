import { createLogger, listen, runService } from '@trendcast/service-kit';
import { loadNotifierConfig } from './config.js';
import { createNotifier } from './notifier.js';

const config = loadNotifierConfig();
const logger = createLogger({ service: 'notifier', level: config.LOG_LEVEL });
const notifier = await createNotifier(config, logger);

await runService({
  logger,
  timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  start: async () => {
    await notifier.start();
    await listen(notifier.app, { host: config.HOST, port: config.PORT });
  },
  stops: notifier.stops,
});
