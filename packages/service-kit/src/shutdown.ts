import type { LogFn, Logger } from '@trendcast/core';

/** A named step of shutdown, e.g. ['http', () => app.close()]. */
export type Stop = [name: string, stop: () => Promise<void>];

/** A service's own logger (createLogger's): escaped errors are logged as fatal. */
type ShutdownLogger = Logger & { fatal: LogFn };

export interface RunServiceOptions {
  logger: ShutdownLogger;
  /** Starts everything: connections, consumers, workers, then listen(). */
  start: () => Promise<void>;
  /**
   * Run in this order on SIGTERM/SIGINT, each after the previous has finished, e.g. stop taking HTTP
   * requests → stop consumers (in-flight handlers finish) → stop workers → close pools. Read at
   * shutdown time, so `start` may push stops for what it created.
   */
  stops: Stop[];
  /** The whole shutdown must fit in this (default 25 s, under the usual 30 s orchestrator grace period). */
  timeoutMs?: number;
  signals?: NodeJS.Signals[];
  /** Defaults to process.exit; replaced in tests. */
  exit?: (code: number) => void;
  /** Where signals and escaped errors are listened for; defaults to process, replaced in tests. */
  processEvents?: ProcessEvents;
}

interface ProcessEvents {
  on(event: string, listener: (arg: unknown) => void): unknown;
}

export interface RunningService {
  /** Runs the stops once (later calls get the same promise) and exits; resolves with the exit code. */
  shutdown(reason: string): Promise<number>;
}

/**
 * The composition root's last call: starts the service and owns its end. Exits 0 after a clean
 * shutdown, 1 when a stop failed or timed out, start failed, or an error escaped to the process.
 */
export async function runService(o: RunServiceOptions): Promise<RunningService> {
  const { logger } = o;
  const exit = o.exit ?? ((code: number) => process.exit(code));
  const timeoutMs = o.timeoutMs ?? 25_000;
  let started: Promise<void> = Promise.resolve();
  let shuttingDown: Promise<number> | undefined;

  const shutdown = (reason: string, failed = false): Promise<number> => {
    shuttingDown ??= (async () => {
      logger.info({ reason }, 'shutting down');
      const deadline = performance.now() + timeoutMs;
      // A signal during start: give start a moment to settle so what it opens gets stopped too; but a
      // start stuck retrying an unreachable broker must not hold the shutdown hostage.
      const settleMs = Math.min(5_000, timeoutMs / 4);
      const startSettled = await withTimeout(started.then(() => true, () => true), settleMs).catch(() => false);
      if (!startSettled) logger.warn({ settleMs }, 'start still running; stopping anyway');
      const clean = await runStops(o.stops, logger, deadline, timeoutMs);
      const code = failed || !clean ? 1 : 0;
      logger.info({ exitCode: code }, 'shutdown complete');
      exit(code);
      return code;
    })();
    return shuttingDown;
  };

  const events: ProcessEvents = o.processEvents ?? process;
  for (const signal of o.signals ?? ['SIGTERM', 'SIGINT']) {
    events.on(signal, () => {
      if (shuttingDown) {
        logger.warn({ signal }, 'second signal during shutdown: exiting now');
        exit(1);
        return;
      }
      void shutdown(signal);
    });
  }
  events.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    void shutdown('uncaughtException', true);
  });
  events.on('unhandledRejection', (err) => {
    logger.fatal({ err }, 'unhandled promise rejection');
    void shutdown('unhandledRejection', true);
  });

  const startedAt = performance.now();
  started = o.start();
  try {
    await started;
    logger.info({ startupMs: Math.round(performance.now() - startedAt) }, 'service started');
  } catch (err) {
    logger.fatal({ err }, 'start failed');
    void shutdown('start failed', true);
  }
  return { shutdown: (reason) => shutdown(reason) };
}

/**
 * Runs the stops in order, all within `timeoutMs`; true when every one finished without error in
 * time. runService uses it on a signal; a service's `stop()` (tests) uses it too.
 */
export function stopInOrder(stops: Stop[], o: { logger: Logger; timeoutMs: number }): Promise<boolean> {
  return runStops(stops, o.logger, performance.now() + o.timeoutMs, o.timeoutMs);
}

async function runStops(stops: Stop[], logger: Logger, deadline: number, timeoutMs: number): Promise<boolean> {
  let clean = true;
  for (const [name, stop] of stops) {
    const remaining = deadline - performance.now();
    const begun = performance.now();
    logger.info({ stop: name }, `stopping ${name}`);
    try {
      await withTimeout(Promise.resolve().then(stop), remaining);
      logger.info({ stop: name, ms: Math.round(performance.now() - begun) }, `stopped ${name}`);
    } catch (err) {
      clean = false;
      if (err instanceof ShutdownTimeout) {
        logger.error({ stop: name, timeoutMs }, `shutdown timed out while stopping ${name}`);
        return false;
      }
      logger.error({ err, stop: name }, `failed to stop ${name}`);
    }
  }
  return clean;
}

class ShutdownTimeout extends Error {}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ShutdownTimeout()), Math.max(0, ms));
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
