import type { ChannelKind } from '@trendcast/post-text';
import { insertGeneration } from '../data/generations.js';
import { findUsersTrendSearch } from '../data/trend-searches.js';
import type { GenerationRow } from '../db/schema.js';
import { thinkerError } from '../domain/errors.js';
import type { DraftSource, Tone } from '../domain/generation-request.js';
import type { ThinkerDeps } from './deps.js';
import { checkGenerationQuota, guardUserWrites } from './user-writes.js';

export interface StartGenerationInput {
  userId: string;
  /** Exactly one of the two: a topic the person typed, or one of their finished Trends searches. */
  topic?: string | undefined;
  trendSearchId?: string | undefined;
  count: number;
  tone: Tone;
  channel: ChannelKind;
  language?: string | undefined;
  correlationId: string;
}

/**
 * Records a queued generation (under the user's lock and cap) and queues its job. The database is
 * the source of truth: if Redis cannot take the job now, the generation stays queued and the
 * reconciler queues it later.
 */
export async function startGeneration(deps: Pick<ThinkerDeps, 'db' | 'queue' | 'logger' | 'settings' | 'now'>, input: StartGenerationInput): Promise<GenerationRow> {
  const generation = await deps.db.transaction(async (tx) => {
    await guardUserWrites(tx, input.userId);
    await checkGenerationQuota(tx, input.userId, deps.settings.maxGenerationsInFlight);
    let source: DraftSource;
    if (input.trendSearchId) {
      const search = await findUsersTrendSearch(tx, { userId: input.userId, searchId: input.trendSearchId });
      // Someone else's search, one still running, or none at all: answered alike.
      if (!search) throw thinkerError('NOT_FOUND', { message: 'No such completed trend search' });
      source = { kind: 'trends', keywords: search.keywords, geo: search.geo, summary: search.summary };
    } else {
      source = { kind: 'topic', topic: input.topic ?? '' };
    }
    const row = await insertGeneration(tx, {
      userId: input.userId,
      searchId: input.trendSearchId ?? null,
      topic: input.topic ?? null,
      source,
      count: input.count,
      tone: input.tone,
      channel: input.channel,
      language: input.language ?? null,
      correlationId: input.correlationId,
      now: deps.now(),
    });
    if (!row) throw new Error('a generation without trigger key was not created');
    return row;
  });
  await enqueueOrLeave(deps, generation.id);
  return generation;
}

/** Queues the job; on a Redis outage leaves the generation queued for the reconciler. */
export async function enqueueOrLeave(deps: Pick<ThinkerDeps, 'queue' | 'logger'>, generationId: string): Promise<void> {
  try {
    await deps.queue.enqueue(generationId);
  } catch (error) {
    deps.logger.warn({ err: error, generationId }, 'could not queue the generation now; the reconciler will');
  }
}
