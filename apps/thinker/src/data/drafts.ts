import { type PagePosition } from '@trendcast/service-kit';
import { newestFirstAfter } from '@trendcast/database';
import { createEvent, type EventOrigin } from '@trendcast/events';
import { addToOutbox } from '@trendcast/outbox';
import { and, eq, type SQL } from 'drizzle-orm';
import type { ThinkerExecutor, ThinkerTransaction } from '../db/client.js';
import { drafts, type DraftRow, type DraftStatus } from '../db/schema.js';
import type { SentimentLabel, SentimentResult } from '../sentiment/sentiment-scorer.js';

export async function findUsersDraft(db: ThinkerExecutor, o: { userId: string; draftId: string }): Promise<DraftRow | undefined> {
  const [row] = await db
    .select()
    .from(drafts)
    .where(and(eq(drafts.id, o.draftId), eq(drafts.userId, o.userId)));
  return row;
}

/** The same, locked for the transaction's change (FOR UPDATE). */
export async function lockUsersDraft(tx: ThinkerTransaction, o: { userId: string; draftId: string }): Promise<DraftRow | undefined> {
  const [row] = await tx
    .select()
    .from(drafts)
    .where(and(eq(drafts.id, o.draftId), eq(drafts.userId, o.userId)))
    .for('update');
  return row;
}

export async function listUsersDrafts(
  db: ThinkerExecutor,
  o: {
    userId: string;
    generationId?: string | undefined;
    status?: DraftStatus | undefined;
    sentiment?: SentimentLabel | undefined;
    limit: number;
    after?: PagePosition | undefined;
  },
): Promise<DraftRow[]> {
  const page = newestFirstAfter({ at: drafts.createdAt, id: drafts.id }, o.after);
  const conditions: SQL[] = [eq(drafts.userId, o.userId)];
  if (o.generationId) conditions.push(eq(drafts.generationId, o.generationId));
  if (o.status) conditions.push(eq(drafts.status, o.status));
  if (o.sentiment) conditions.push(eq(drafts.sentimentLabel, o.sentiment));
  if (page.where) conditions.push(page.where);
  return db
    .select()
    .from(drafts)
    .where(and(...conditions))
    .orderBy(...page.orderBy)
    .limit(o.limit);
}

/** New text and its new score. */
export async function updateDraftText(tx: ThinkerTransaction, draftId: string, text: string, sentiment: SentimentResult, now: Date): Promise<DraftRow> {
  const [row] = await tx
    .update(drafts)
    .set({
      text,
      shortened: false,
      sentimentLabel: sentiment.label,
      sentimentScore: sentiment.score,
      sentimentConfidence: sentiment.confidence,
      sentimentModel: sentiment.model,
      updatedAt: now,
    })
    .where(eq(drafts.id, draftId))
    .returning();
  if (!row) throw new Error(`draft ${draftId} vanished under its lock`);
  return row;
}

/** Approves the draft and adds thinker.draft.approved to the outbox, in the caller's transaction. */
export async function approveDraft(
  tx: ThinkerTransaction,
  draft: DraftRow,
  o: { channelId: string; publishAt: Date; now: Date; origin: EventOrigin },
): Promise<DraftRow> {
  const [row] = await tx
    .update(drafts)
    .set({ status: 'approved', channelId: o.channelId, publishAt: o.publishAt, updatedAt: o.now })
    .where(eq(drafts.id, draft.id))
    .returning();
  if (!row) throw new Error(`draft ${draft.id} vanished under its lock`);
  await addToOutbox(
    tx,
    createEvent(
      'thinker.draft.approved',
      {
        draftId: row.id,
        userId: row.userId,
        text: row.text,
        channelId: o.channelId,
        publishAt: o.publishAt.toISOString(),
        sentiment: { label: row.sentimentLabel, score: row.sentimentScore, scorer: row.sentimentModel },
      },
      o.origin,
    ),
  );
  return row;
}

export async function setDraftStatus(tx: ThinkerTransaction, draftId: string, status: DraftStatus, now: Date): Promise<DraftRow> {
  const [row] = await tx.update(drafts).set({ status, updatedAt: now }).where(eq(drafts.id, draftId)).returning();
  if (!row) throw new Error(`draft ${draftId} vanished under its lock`);
  return row;
}

/** An approved draft went out: published with its URL. False when it was not the user's approved draft. */
export async function markDraftPublished(db: ThinkerExecutor, o: { userId: string; draftId: string; url: string; publishedAt: Date; now: Date }): Promise<boolean> {
  const updated = await db
    .update(drafts)
    .set({ status: 'published', publishedUrl: o.url, publishedAt: o.publishedAt, updatedAt: o.now })
    .where(and(eq(drafts.id, o.draftId), eq(drafts.userId, o.userId), eq(drafts.status, 'approved')))
    .returning({ id: drafts.id });
  return updated.length > 0;
}
