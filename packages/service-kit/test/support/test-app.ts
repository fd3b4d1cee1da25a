import { buildServiceApp, createLogger, createMetrics, type ServiceAppOptions } from '../../src/index.js';
import { captureLogs } from './log-capture.js';

/** A service app whose logs are captured; metrics without process collectors to keep tests light. */
export async function buildTestApp(overrides: Partial<ServiceAppOptions> = {}) {
  const logs = captureLogs();
  const logger = createLogger({ service: 'testsvc', level: 'debug', destination: logs.stream });
  const metrics = overrides.metrics ?? createMetrics('testsvc', { defaultMetrics: false });
  const app = await buildServiceApp({ service: 'testsvc', logger, metrics, ...overrides });
  return { app, logs, metrics, logger };
}
