import { createLogger, type ServiceLogger } from './logger.js';
import { createMetrics, type ServiceMetrics } from './metrics.js';

export interface Telemetry {
  logger: ServiceLogger;
  metrics: ServiceMetrics;
}

/** The first lines of every composition root: the service's logger (or a test's) and its own metrics registry. */
export function createTelemetry(service: string, o: { level: string; logger?: ServiceLogger | undefined }): Telemetry {
  return { logger: o.logger ?? createLogger({ service, level: o.level }), metrics: createMetrics(service) };
}
