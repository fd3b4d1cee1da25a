import type { FastifyRequest } from 'fastify';
import type { RequestOrigin } from '../use-cases/deps.js';

/** Who is asking, as the use cases need it: the event origin (correlation) and the client address. */
export function originOf(request: FastifyRequest): RequestOrigin {
  return { event: request.eventOrigin(), ip: request.ip };
}
