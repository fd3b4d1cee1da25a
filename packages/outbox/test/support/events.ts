import { createEvent, type DomainEvent } from '@trendcast/events';
import { sampleEventData } from '@trendcast/events/samples';

const origin = { source: 'outbox-test', correlationId: 'outbox-test' };

/** A valid event carrying `seq` in its data, so tests can tell events apart and check their order. */
export function numberedEvent(seq: number): DomainEvent<'trends.search.failed'> {
  return createEvent('trends.search.failed', { ...sampleEventData['trends.search.failed'], reason: `event ${seq}` }, origin);
}

export function seqOf(event: DomainEvent): number {
  const reason = (event.data as { reason?: string }).reason ?? '';
  return Number(reason.replace('event ', ''));
}
