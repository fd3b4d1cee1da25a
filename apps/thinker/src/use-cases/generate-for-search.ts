import type { DomainEvent } from '@trendcast/events';
import { handleOnce } from '@trendcast/outbox';
import { failGeneration, serviceName } from '../data/generation-outcomes.js';
import { insertGeneration } from '../data/generations.js';
import { isErased, lockUserWrites } from '../data/tombstones.js';
import { saveTrendSearch } from '../data/trend-searches.js';
import type { ThinkerTransaction } from '../db/client.js';
import { planForSearch } from '../domain/search-generation.js';
import type { ThinkerDeps } from './deps.js';
import { enqueueOrLeave } from './start-generation.js';

export type SearchCompletedOutcome = 'queued' | 'failed' | 'stored' | 'duplicate' | 'erased';

/**
 * trends.search.completed: keeps the search's summary (a later POST /thinker/generations may name it)
 * and, when the search asked for drafts, records a generation and queues it. Once per event (the
 * inbox) and once per search (the generation's trigger key): the same event twice, or a second
 * event for the same search, makes one generation.
 */
export async function generateForSearch(
  deps: Pick<ThinkerDeps, 'db' | 'queue' | 'logger' | 'now' | 'metrics'>,
  event: DomainEvent<'trends.search.completed'>,
): Promise<SearchCompletedOutcome> {
  const { data } = event;
  let outcome = 'stored' as SearchCompletedOutcome;
  let queuedId: string | undefined;
  const handled = await handleOnce(deps.db, serviceName, event, async (db) => {
    const tx = db as ThinkerTransaction;
    await lockUserWrites(tx, data.userId);
    // A late event about an erased user stores nothing.
    if (await isErased(tx, data.userId)) {
      outcome = 'erased';
      return;
    }
    const now = deps.now();
    await saveTrendSearch(tx, { searchId: data.searchId, userId: data.userId, keywords: data.keywords, geo: data.geo, summary: data.summary, completedAt: new Date(event.occurredAt) });
    if (!data.generate) return;
    const plan = planForSearch(data, data.generate);
    const generation = await insertGeneration(tx, {
      userId: data.userId,
      searchId: data.searchId,
      topic: null,
      source: plan.source,
      count: plan.count,
      tone: plan.tone,
      channel: plan.channel,
      language: null,
      correlationId: event.correlationId,
      triggerKey: `search:${data.searchId}`,
      now,
    });
    if (!generation) {
      outcome = 'duplicate';
      return;
    }
    if (!plan.ok) {
      await failGeneration(tx, generation, { code: 'INVALID_REQUEST', reason: plan.reason }, now);
      outcome = 'failed';
      return;
    }
    queuedId = generation.id;
    outcome = 'queued';
  });
  if (handled === 'duplicate') return 'duplicate';
  if (outcome === 'failed') deps.metrics.generations.inc({ outcome: 'failed', model: 'none' });
  if (queuedId) await enqueueOrLeave(deps, queuedId);
  return outcome;
}
