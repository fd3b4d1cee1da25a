import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Resolves when a dependency is usable; any rejection (or a timeout) makes the service not ready. */
export type ReadinessCheck = () => Promise<unknown>;

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, string>;
}

/** A check for dependencies that expose a flag, e.g. `checkThat(() => rabbit.isConnected(), 'broker not connected')`. */
export function checkThat(isOk: () => boolean, failure: string): ReadinessCheck {
  return async () => {
    if (!isOk()) throw new Error(failure);
  };
}

/** Runs every check at once, each bounded by `timeoutMs`; reports 'ok' or the reason per check. */
export async function runReadinessChecks(
  checks: Record<string, ReadinessCheck>,
  timeoutMs: number,
): Promise<ReadinessReport> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => [name, await outcomeOf(check, timeoutMs)] as const),
  );
  return { ready: entries.every(([, outcome]) => outcome === 'ok'), checks: Object.fromEntries(entries) };
}

async function outcomeOf(check: ReadinessCheck, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([Promise.resolve().then(check), timeout]);
    return 'ok';
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return (message || 'failed').slice(0, 300);
  } finally {
    clearTimeout(timer);
  }
}

export interface HealthOptions {
  readiness: Record<string, ReadinessCheck>;
  readinessTimeoutMs: number;
}

/**
 * /healthz: the process is alive (never touches dependencies, so a database outage does not get
 * the process restarted). /readyz: this service's own dependencies answer, so it may take traffic.
 * /readyz/public: the same verdict without the details (what the gateway exposes): which
 * dependency failed and why is for operators on the service's own port.
 */
export const healthPlugin = fp<HealthOptions>(
  async (app: FastifyInstance, o) => {
    app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
    app.get('/readyz', { schema: { hide: true } }, async (request, reply) => {
      const report = await runReadinessChecks(o.readiness, o.readinessTimeoutMs);
      if (report.ready) return { status: 'ready', checks: report.checks };
      request.log.warn({ checks: report.checks }, 'not ready');
      return reply.status(503).send({ status: 'not_ready', checks: report.checks });
    });
    app.get('/readyz/public', { schema: { hide: true } }, async (request, reply) => {
      const report = await runReadinessChecks(o.readiness, o.readinessTimeoutMs);
      if (report.ready) return { status: 'ready' };
      request.log.warn({ checks: report.checks }, 'not ready');
      return reply.status(503).send({ status: 'not_ready' });
    });
  },
  { name: 'trendcast-health', fastify: '5.x' },
);
