import { describeError } from '@trendcast/core';
import { ServiceAnswerError } from '../data/parked-outbox.js';
import { monitorError } from '../domain/errors.js';
import type { OutboxOverview, OutboxSection, ServiceRefusal } from '../domain/parked-outbox.js';
import { liveAccessToken, type Session } from '../domain/session.js';
import type { MonitorDeps } from './deps.js';

type OutboxDeps = Pick<MonitorDeps, 'outboxes' | 'settings' | 'logger' | 'now'>;

/** What went wrong asking a service, in words an operator can act on. */
function problemOf(error: unknown, service: { name: string; url: string }, timeoutMs: number): { refusal: ServiceRefusal; problem: string } {
  if (error instanceof ServiceAnswerError) return { refusal: error.refusal, problem: error.message };
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return { refusal: 'unreachable', problem: `${service.name} did not answer within ${timeoutMs} ms` };
  const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return { refusal: 'unreachable', problem: `${service.name} cannot be reached at ${service.url}${typeof code === 'string' ? ` (${code})` : ''}` };
}

/** Each configured service's parked outbox rows (the oldest MONITOR_PEEK_LIMIT), or why they cannot be had; never throws for a service. */
export async function listParkedOutboxes(deps: OutboxDeps, input: { session: Session }): Promise<OutboxOverview> {
  const services = deps.outboxes.services();
  const names = services.map((service) => service.name);
  const accessToken = liveAccessToken(input.session, deps.now());
  if (!accessToken) return { services: names, needsSignIn: services.length > 0, sections: [] };
  const sections = await Promise.all(
    services.map(async (service): Promise<OutboxSection> => {
      try {
        return { service: service.name, state: 'listed', listing: await deps.outboxes.list(service, { accessToken, limit: deps.settings.peekLimit }) };
      } catch (error) {
        const { refusal, problem } = problemOf(error, service, deps.settings.outboxTimeoutMs);
        deps.logger.warn({ service: service.name, err: describeError(error) }, 'parked outbox rows unavailable');
        return { service: service.name, state: 'unavailable', refusal, problem };
      }
    }),
  );
  return { services: names, needsSignIn: false, sections };
}

export type OutboxReplayOutcome = { replayed: number } | { refusal: ServiceRefusal | 'sign-in' };

/** Hands one parked row (by event id) or all of a service's back to its relay, by asking that service. */
export async function replayParkedOutbox(
  deps: OutboxDeps,
  input: { service: string; eventId?: string | undefined; session: Session },
): Promise<OutboxReplayOutcome> {
  const service = deps.outboxes.services().find((candidate) => candidate.name === input.service);
  if (!service) throw monitorError('UNKNOWN_SERVICE', { message: `No service named ${input.service} is configured for parked outbox rows` });
  const accessToken = liveAccessToken(input.session, deps.now());
  if (!accessToken) return { refusal: 'sign-in' };
  try {
    const replayed = await deps.outboxes.replay(service, { accessToken, ...(input.eventId === undefined ? {} : { eventIds: [input.eventId] }) });
    deps.logger.info({ service: service.name, eventId: input.eventId, replayed, userId: input.session.userId }, 'parked outbox rows replayed');
    return { replayed };
  } catch (error) {
    const { refusal } = problemOf(error, service, deps.settings.outboxTimeoutMs);
    deps.logger.warn({ service: service.name, eventId: input.eventId, err: describeError(error) }, 'parked outbox rows not replayed');
    return { refusal };
  }
}
