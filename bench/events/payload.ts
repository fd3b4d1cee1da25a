import { randomUUID } from 'node:crypto';
import { createEvent, encodeEvent, type DomainEvent } from '@trendcast/events';

const userId = '6f1c1a6e-8d0e-4b43-9d55-1f4f0f6b8a11';

/** Builds valid events whose wire encoding is exactly `bytes` long (the reason pads them). */
export function eventFactory(bytes: number): () => DomainEvent<'trends.search.failed'> {
  const make = (reason: string) =>
    createEvent(
      'trends.search.failed',
      { searchId: randomUUID(), userId, keywords: ['bench'], reason },
      { source: 'trends', correlationId: randomUUID() },
    );
  const overhead = encodeEvent(make('x')).length - 1;
  const reason = 'r'.repeat(bytes - overhead);
  if (reason.length < 1) throw new Error(`events cannot be smaller than ${overhead + 1} bytes`);
  return () => make(reason);
}
