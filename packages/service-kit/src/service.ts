import type { ServiceApp } from './app.js';
import { listen } from './listen.js';
import type { ServiceLogger } from './logger.js';
import { shutdownBudget, stopWithin } from './shutdown-budget.js';
import { runService, stopInOrder, type RunningService, type Stop } from './shutdown.js';

/**
 * What a service's composition root (`createXService(config, overrides)` in its `src/service.ts`)
 * returns: main.ts runs it with `serve()`, component tests start it and call `app.inject()`.
 */
export interface Service {
  /** The HTTP app (never listening until `start({ listen: true })`); undefined for a process without one. */
  app: ServiceApp | undefined;
  logger: ServiceLogger;
  /** SHUTDOWN_TIMEOUT_MS: the whole of `stop()` (or a signal's shutdown) fits in it. */
  shutdownTimeoutMs: number;
  /**
   * Connects and starts everything (relay, consumers, workers, timers); with `listen: true` then
   * listens on HOST:PORT. Tests start without listening and use `app.inject()`.
   */
  start(options?: { listen?: boolean }): Promise<void>;
  /**
   * Shutdown in order: HTTP first (in-flight requests answered within its share of SHUTDOWN_TIMEOUT_MS),
   * then consumers, workers, relay, connections, pools.
   */
  stops: Stop[];
  /** Runs the stops once (later calls share it), all within SHUTDOWN_TIMEOUT_MS; false when one failed or time ran out. */
  stop(): Promise<boolean>;
}

export interface ServiceParts {
  logger: ServiceLogger;
  app?: ServiceApp | undefined;
  /** HOST, PORT and SHUTDOWN_TIMEOUT_MS from the service's config. */
  config: { HOST: string; PORT: number; SHUTDOWN_TIMEOUT_MS: number };
  /** Everything but listening, in the order it must start. */
  start(): Promise<void>;
  /** Every stop after the HTTP server's, in order; read when stopping, so `start` may add to it. */
  stops: Stop[];
}

/** Assembles a Service from what a composition root built; the HTTP server is stopped first. */
export function defineService(parts: ServiceParts): Service {
  const { app, logger, config } = parts;
  const stops: Stop[] = parts.stops;
  // In-flight requests are answered within HTTP's share of the budget; the steps after it must still run.
  if (app) stops.unshift(stopWithin('http', shutdownBudget(config.SHUTDOWN_TIMEOUT_MS).http, () => app.close(), logger));
  let stopping: Promise<boolean> | undefined;
  return {
    app,
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    stops,
    async start(options = {}) {
      await parts.start();
      if (app && options.listen) await listen(app, { host: config.HOST, port: config.PORT });
    },
    stop() {
      stopping ??= stopInOrder(stops, { logger, timeoutMs: config.SHUTDOWN_TIMEOUT_MS });
      return stopping;
    },
  };
}

/** main.ts's one call: starts the service listening and stops it gracefully on SIGTERM/SIGINT. */
export function serve(service: Service): Promise<RunningService> {
  return runService({
    logger: service.logger,
    timeoutMs: service.shutdownTimeoutMs,
    start: () => service.start({ listen: true }),
    stops: service.stops,
  });
}
