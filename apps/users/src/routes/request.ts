import type { FastifyRequest } from 'fastify';
import type { RequestOrigin } from '../use-cases/context.js';

/** Who is asking, as the use cases need it: the event origin (correlation) and the client address. */
export function originOf(request: FastifyRequest): RequestOrigin {
  return { event: request.eventOrigin(), ip: request.ip };
}

/** The session (refresh-token family) of the request's access token; set by this service's token verifier. */
export function sessionIdOf(request: FastifyRequest): string | undefined {
  return (request.user as { sessionId?: string } | undefined)?.sessionId;
}
