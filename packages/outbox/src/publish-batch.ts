import type { DomainEvent } from '@trendcast/events';
import type { PendingRow } from './relay-statements.js';
import type { EventSink } from './types.js';

/**
 * Publishes every row at once, in order (so up to a batch of confirms are outstanding together), and
 * waits for all of them to settle or for `timeoutMs`. Returns the positions that were not confirmed,
 * with the reason of each.
 */
export async function publishBatch(sink: EventSink, rows: PendingRow[], timeoutMs: number): Promise<Map<number, string>> {
  const failures = new Map<number, string>();
  const settled = new Set<number>();
  const publishes = rows.map((row) =>
    Promise.resolve()
      .then(() => sink.publish(row.payload as DomainEvent))
      .then(
        () => settled.add(row.position),
        (error: unknown) => {
          settled.add(row.position);
          failures.set(row.position, describe(error));
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
    if (!settled.has(row.position)) failures.set(row.position, `no confirm within ${timeoutMs} ms`);
  }
  return failures;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}
