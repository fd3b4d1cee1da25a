import { runService } from '@trendcast/service-kit';
import { loadTrendsConfig } from './config.js';
import { createTrendsService } from './service.js';

const config = loadTrendsConfig();
const service = await createTrendsService(config);

await runService({
  logger: service.logger,
  timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  start: () => service.start({ listen: true }),
  stops: service.stops,
});
