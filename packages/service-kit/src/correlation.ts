import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Logger } from '@trendcast/core';
import type { EventOrigin } from '@trendcast/events';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export const requestIdHeader = 'x-request-id';
export const correlationIdHeader = 'x-correlation-id';

declare module 'fastify' {
  interface FastifyRequest {
    /** Ties this request to the events it causes and to the logs of the services handling them. */
    correlationId: string;
    /** The origin to pass to createEvent() for events caused by this request. */
    eventOrigin(): EventOrigin;
  }
}

/**
 * Ids come from clients and end up in logs and event envelopes, so only short, plain tokens are
 * taken over (no spaces, quotes or newlines that could forge log lines); anything else is replaced.
 */
const saneId = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

export function sanitizeId(value: unknown): string | undefined {
  return typeof value === 'string' && saneId.test(value) ? value : undefined;
}

/** fastify's genReqId: the caller's x-request-id when sane, else a fresh UUID. */
export function requestIdFor(raw: IncomingMessage): string {
  return sanitizeId(raw.headers[requestIdHeader]) ?? randomUUID();
}

/** The caller's x-correlation-id when sane; a request that starts a story uses its own request id. */
export function correlationIdFor(raw: IncomingMessage, requestId: string): string {
  return sanitizeId(raw.headers[correlationIdHeader]) ?? requestId;
}

/** Sets request.correlationId and request.eventOrigin(), and echoes both ids in response headers. */
export const correlationPlugin = fp<{ service: string }>(
  async (app: FastifyInstance, o) => {
    app.decorateRequest('correlationId', '');
    app.decorateRequest('eventOrigin', function eventOrigin(this: { correlationId: string }): EventOrigin {
      return { source: o.service, correlationId: this.correlationId };
    });
    app.addHook('onRequest', async (request, reply) => {
      request.correlationId = correlationIdFor(request.raw, request.id);
      reply.header(requestIdHeader, request.id);
      reply.header(correlationIdHeader, request.correlationId);
    });
  },
  { name: 'trendcast-correlation', fastify: '5.x' },
);

/** The logger for handling an event: the correlation id carries the request's story into this service's logs. */
export function eventLogger(logger: Logger, event: { id: string; type: string; correlationId: string }): Logger {
  return logger.child({ correlationId: event.correlationId, eventId: event.id, eventType: event.type });
}
