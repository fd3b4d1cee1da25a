import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

/**
 * The pino logger a service creates once and hands to fastify and runService. Everything else
 * (use cases, libraries, workers) takes `Logger` from @trendcast/core, which this satisfies.
 */
export type ServiceLogger = PinoLogger;

export interface LoggerOptions {
  service: string;
  level?: string;
  /** Where JSON lines go; stdout by default. Tests pass a stream to read the lines back. */
  destination?: DestinationStream;
  /** Extra paths to redact, in pino's path syntax. */
  redact?: string[];
}

/** Credentials must never reach the logs, however deep a caller nests them. */
const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["set-cookie"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  ...['password', 'token', 'accessToken', 'refreshToken', 'secret', 'apiKey', 'authorization', 'cookie'].flatMap(
    (key) => [key, `*.${key}`, `*.*.${key}`],
  ),
];

/** Query parameters whose values are credentials (reset links, verification links). */
const sensitiveQueryParam = /([?&](?:token|access_token|refresh_token|code|password|secret|key|signature)=)[^&#]*/gi;

export function redactUrl(url: string): string {
  return url.replace(sensitiveQueryParam, '$1[Redacted]');
}

interface RequestLike {
  method?: string;
  url?: string;
  ip?: string;
  headers?: Record<string, unknown>;
}

/** Replaces fastify's `req` serializer: no headers at all, and secrets in the query string hidden. */
function serializeRequest(req: RequestLike) {
  return {
    method: req.method,
    url: typeof req.url === 'string' ? redactUrl(req.url) : req.url,
    remoteAddress: req.ip,
    userAgent: req.headers?.['user-agent'],
  };
}

/** A pino JSON logger tagged with the service name; pass it to buildServiceApp and to messaging. */
export function createLogger(o: LoggerOptions): ServiceLogger {
  return pino(
    {
      level: o.level ?? 'info',
      base: { service: o.service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...redactedPaths, ...(o.redact ?? [])], censor: '[Redacted]' },
      serializers: { err: pino.stdSerializers.err, req: serializeRequest },
    },
    o.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
