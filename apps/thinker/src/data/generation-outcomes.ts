import { randomUUID } from 'node:crypto';
import { createEvent } from '@trendcast/events';
import { addToOutbox } from '@trendcast/outbox';
import { and, eq, inArray } from 'drizzle-orm';
import type { ThinkerTransaction } from '../db/client.js';
import { drafts, generations, type DraftRow, type GenerationRow } from '../db/schema.js';
import type { SentimentResult } from '../sentiment/sentiment-scorer.js';
import { pendingStatuses } from './generations.js';

export const serviceName = 'thinker';

export interface WrittenDraft {
  text: string;
  model: string;
  shortened: boolean;
  sentiment: SentimentResult;
}

/**
 * Stores the drafts, marks the generation completed and adds thinker.drafts.generated to the
 * outbox, all in the caller's transaction. Undefined when the generation is no longer pending
 * (finished by another run of the same job, or erased): nothing is written then.
 */
export async function completeGeneration(
  tx: ThinkerTransaction,
  generation: GenerationRow,
  written: { model: string; fallbackReason?: string | undefined; drafts: WrittenDraft[] },
  now: Date,
): Promise<DraftRow[] | undefined> {
  const [updated] = await tx
    .update(generations)
    .set({ status: 'completed', model: written.model, fallbackReason: written.fallbackReason ?? null, completedAt: now, updatedAt: now })
    .where(and(eq(generations.id, generation.id), inArray(generations.status, [...pendingStatuses])))
    .returning({ id: generations.id });
  if (!updated) return undefined;
  const rows = await tx
    .insert(drafts)
    .values(
      written.drafts.map((draft, position) => ({
        id: randomUUID(),
        generationId: generation.id,
        userId: generation.userId,
        position,
        text: draft.text,
        channel: generation.channel,
        model: draft.model,
        shortened: draft.shortened,
        status: 'draft' as const,
        sentimentLabel: draft.sentiment.label,
        sentimentScore: draft.sentiment.score,
        sentimentConfidence: draft.sentiment.confidence,
        sentimentModel: draft.sentiment.model,
        createdAt: now,
        updatedAt: now,
      })),
    )
    .returning();
  rows.sort((a, b) => a.position - b.position);
  await addToOutbox(
    tx,
    createEvent(
      'thinker.drafts.generated',
      {
        generationId: generation.id,
        userId: generation.userId,
        ...(generation.searchId ? { searchId: generation.searchId } : {}),
        model: written.model,
        drafts: rows.map((row) => ({
          id: row.id,
          text: row.text,
          sentiment: { label: row.sentimentLabel, score: row.sentimentScore, scorer: row.sentimentModel },
        })),
      },
      { source: serviceName, correlationId: generation.correlationId },
    ),
  );
  return rows;
}

/**
 * Marks the generation failed with a reason a person can read and adds thinker.generation.failed,
 * in the caller's transaction. False when it was no longer pending.
 */
export async function failGeneration(
  tx: ThinkerTransaction,
  generation: Pick<GenerationRow, 'id' | 'userId' | 'searchId' | 'correlationId'>,
  failure: { code: string; reason: string },
  now: Date,
): Promise<boolean> {
  const reason = failure.reason.length > 1000 ? `${failure.reason.slice(0, 999)}…` : failure.reason;
  const [updated] = await tx
    .update(generations)
    .set({ status: 'failed', reason, failureCode: failure.code, completedAt: now, updatedAt: now })
    .where(and(eq(generations.id, generation.id), inArray(generations.status, [...pendingStatuses])))
    .returning({ id: generations.id });
  if (!updated) return false;
  await addToOutbox(
    tx,
    createEvent(
      'thinker.generation.failed',
      { generationId: generation.id, userId: generation.userId, ...(generation.searchId ? { searchId: generation.searchId } : {}), reason },
      { source: serviceName, correlationId: generation.correlationId },
    ),
  );
  return true;
}
