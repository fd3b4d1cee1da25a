import type { DomainEvent } from '@trendcast/events';
import type { PendingRow, RowFailure } from './relay-statements.js';
import type { EventSink } from './types.js';

/**
 * Publishes every row at once, in order (so up to a batch of confirms are outstanding together), and
 * waits for all of them to settle or for `timeoutMs`. Returns the positions that were not confirmed,
 * with the reason of each and whose fault it was (see classifyPublishError).
 */
export async function publishBatch(sink: EventSink, rows: PendingRow[], timeoutMs: number): Promise<Map<number, RowFailure>> {
  const failures = new Map<number, RowFailure>();
  const settled = new Set<number>();
  const publishes = rows.map((row) =>
    Promise.resolve()
      .then(() => sink.publish(row.payload as DomainEvent))
      .then(
        () => settled.add(row.position),
        (error: unknown) => {
          settled.add(row.position);
          failures.set(row.position, classifyPublishError(error));
        },
      ),
  );
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([Promise.all(publishes), deadline]);
  clearTimeout(timer);
  for (const row of rows) {
    // The sink said nothing in time: nothing is known about the event, so it does not count against it.
    if (!settled.has(row.position)) failures.set(row.position, { reason: `no confirm within ${timeoutMs} ms`, refused: false });
  }
  return failures;
}

/**
 * Whose fault a failed publish was. A sink may say, with a `failure` property on its error (as
 * PublishError of @trendcast/messaging does): 'broker-unavailable' and 'broker-blocked' are the broker's,
 * 'event-rejected' the event's. An error that says nothing counts as the event's own.
 */
export function classifyPublishError(error: unknown): RowFailure & { blocked: boolean } {
  const failure = (error as { failure?: unknown } | null | undefined)?.failure;
  const reason = error instanceof Error ? error.message || error.name : String(error);
  return { reason, refused: failure !== 'broker-unavailable' && failure !== 'broker-blocked', blocked: failure === 'broker-blocked' };
}
