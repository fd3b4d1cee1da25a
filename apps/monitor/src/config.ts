import { randomBytes } from 'node:crypto';
import { authConfigShape, httpConfigShape, messagingConfigShape, redisConfigShape, serviceConfigShape } from '@trendcast/service-kit';
import { httpUrlVar, intVar, loadConfig, namePartVar, originListVar, type Env } from '@trendcast/service-kit';
import { z } from 'zod';

/** A comma-separated list of name parts (queue names, key prefixes, service names). */
const namePartList = (defaultValue: string) =>
  z
    .string()
    .trim()
    .default(defaultValue)
    .transform((value, ctx) => {
      const names = [...new Set(value.split(',').map((part) => part.trim()).filter(Boolean))];
      for (const name of names) {
        if (!namePartVar().safeParse(name).success) {
          ctx.addIssue({ code: 'custom', message: `"${name}" must be letters, digits, "_", "." or "-"` });
          return z.NEVER;
        }
      }
      return names;
    });

/** A SQL service whose parked outbox rows the console shows, and where its HTTP port answers. */
export interface OutboxService {
  name: string;
  /** The service's own address (not the gateway's: the gateway never exposes /internal/*). */
  url: string;
}

/** `users=http://users:3001,trends=http://trends:3002`: names unique, each address http(s) with no path beyond `/`. */
const outboxServiceList = () =>
  z
    .string()
    .trim()
    .default('')
    .transform((value, ctx): OutboxService[] => {
      const services: OutboxService[] = [];
      for (const entry of value.split(',').map((part) => part.trim()).filter(Boolean)) {
        const at = entry.indexOf('=');
        const name = at > 0 ? entry.slice(0, at).trim() : '';
        const address = at > 0 ? entry.slice(at + 1).trim() : '';
        let url: URL | undefined;
        try {
          url = new URL(address);
        } catch {
          url = undefined;
        }
        if (!namePartVar().safeParse(name).success || !url || !['http:', 'https:'].includes(url.protocol) || url.pathname !== '/' || url.search || url.hash) {
          ctx.addIssue({ code: 'custom', message: `"${entry}" must be name=http://host:port (a name of letters, digits, "_", "." or "-"; no path)` });
          return z.NEVER;
        }
        if (services.some((service) => service.name === name)) {
          ctx.addIssue({ code: 'custom', message: `"${name}" is listed twice` });
          return z.NEVER;
        }
        services.push({ name, url: url.origin });
      }
      return services;
    });

export const monitorConfigSchema = z
  .object({
    ...serviceConfigShape,
    ...httpConfigShape(3006),
    ...messagingConfigShape,
    ...redisConfigShape,
    ...authConfigShape,
    /** The public address of the gateway: its origin may send state-changing requests. */
    PUBLIC_BASE_URL: httpUrlVar('http://localhost:8080'),
    /** Further origins allowed to send state-changing requests (the gateway opened as 127.0.0.1, say). */
    WEB_ORIGINS: originListVar(),
    /** Signs the session cookie; required in production (32 characters at least). */
    MONITOR_SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /** How long a sign-in lasts, from the moment it was made. */
    MONITOR_SESSION_TTL_SECONDS: intVar(3600, { min: 60, max: 7 * 24 * 3600 }),
    /** Secure flag of the session cookie; unset means on everywhere but NODE_ENV=development (plain http on localhost). */
    MONITOR_SESSION_COOKIE_SECURE: z.stringbool({ error: 'must be one of true/false, 1/0, yes/no, on/off' }).optional(),
    /** Prefix of the monitor's own Redis keys (its sessions). */
    MONITOR_REDIS_KEY_PREFIX: z.string().trim().min(1).max(100).default('monitor:'),
    /** BullMQ key prefixes searched for queues (`<prefix>:<queue>:meta`); the first one's queues show by their bare name. */
    MONITOR_BULLMQ_PREFIXES: namePartList('bull'),
    /** Queues shown even before they exist in Redis, under the first prefix. */
    MONITOR_QUEUES: namePartList(''),
    /** How often queues are searched again and the job and dead-letter counts refreshed. */
    MONITOR_REFRESH_INTERVAL_MS: intVar(10_000, { min: 100 }),
    /** Services that consume events: their `<service>.<producer>-events.dead-letter` queues are shown. */
    MONITOR_EVENT_CONSUMERS: namePartList('notifier,trends,thinker,tweeter'),
    /** Messages shown of one parked queue, oldest first. */
    MONITOR_PEEK_LIMIT: intVar(50, { min: 1, max: 1000 }),
    /** SQL services whose parked outbox rows are shown (`name=http://host:port`, comma-separated); none by default. */
    MONITOR_OUTBOX_SERVICES: outboxServiceList(),
    /** Longest wait for one service's answer about its parked outbox rows. */
    MONITOR_OUTBOX_TIMEOUT_MS: intVar(5_000, { min: 100, max: 60_000 }),
  })
  .transform((config, ctx) => {
    if (config.MONITOR_BULLMQ_PREFIXES.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['MONITOR_BULLMQ_PREFIXES'], message: 'must name at least one prefix' });
      return z.NEVER;
    }
    if (config.MONITOR_SESSION_SECRET === undefined && config.NODE_ENV === 'production') {
      ctx.addIssue({ code: 'custom', path: ['MONITOR_SESSION_SECRET'], message: 'is required in production' });
      return z.NEVER;
    }
    return {
      ...config,
      // Outside production a secret of this process's own: signing in again after a restart is the only cost.
      MONITOR_SESSION_SECRET: config.MONITOR_SESSION_SECRET ?? randomBytes(32).toString('base64url'),
    };
  });

export type MonitorConfig = z.output<typeof monitorConfigSchema>;

export function loadMonitorConfig(env: Env = process.env): MonitorConfig {
  return loadConfig(monitorConfigSchema, env);
}
