import { type PagePosition } from '@trendcast/service-kit';
import { newestFirstAfter } from '@trendcast/database';
import { randomUUID } from 'node:crypto';
import { and, asc, count, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { ChannelKind } from '@trendcast/post-text';
import type { ThinkerExecutor } from '../db/client.js';
import { drafts, generations, type DraftRow, type GenerationRow, type GenerationStatus } from '../db/schema.js';
import type { DraftSource, Tone } from '../domain/generation-request.js';

export const pendingStatuses = ['queued', 'running'] as const satisfies readonly GenerationStatus[];

export interface NewGeneration {
  userId: string;
  searchId: string | null;
  topic: string | null;
  source: DraftSource;
  count: number;
  tone: Tone;
  channel: ChannelKind;
  language: string | null;
  correlationId: string;
  triggerKey?: string | undefined;
  now: Date;
}

/** Records a queued generation; undefined when one with the same trigger key exists already. */
export async function insertGeneration(db: ThinkerExecutor, g: NewGeneration): Promise<GenerationRow | undefined> {
  const [row] = await db
    .insert(generations)
    .values({
      id: randomUUID(),
      userId: g.userId,
      searchId: g.searchId,
      topic: g.topic,
      source: g.source,
      count: g.count,
      tone: g.tone,
      channel: g.channel,
      language: g.language,
      status: 'queued',
      triggerKey: g.triggerKey ?? null,
      correlationId: g.correlationId,
      createdAt: g.now,
      updatedAt: g.now,
    })
    .onConflictDoNothing({ target: generations.triggerKey })
    .returning();
  return row;
}

export async function findGeneration(db: ThinkerExecutor, id: string): Promise<GenerationRow | undefined> {
  const [row] = await db.select().from(generations).where(eq(generations.id, id));
  return row;
}

/** One of the user's generations with its drafts in the order they were written. */
export async function findUsersGeneration(
  db: ThinkerExecutor,
  o: { userId: string; generationId: string },
): Promise<{ generation: GenerationRow; drafts: DraftRow[] } | undefined> {
  const [generation] = await db
    .select()
    .from(generations)
    .where(and(eq(generations.id, o.generationId), eq(generations.userId, o.userId)));
  if (!generation) return undefined;
  const rows = await db.select().from(drafts).where(eq(drafts.generationId, generation.id)).orderBy(asc(drafts.position));
  return { generation, drafts: rows };
}

export async function listUsersGenerations(
  db: ThinkerExecutor,
  o: { userId: string; status?: GenerationStatus | undefined; limit: number; after?: PagePosition | undefined },
): Promise<GenerationRow[]> {
  const page = newestFirstAfter({ at: generations.createdAt, id: generations.id }, o.after);
  const conditions: SQL[] = [eq(generations.userId, o.userId)];
  if (o.status) conditions.push(eq(generations.status, o.status));
  if (page.where) conditions.push(page.where);
  return db
    .select()
    .from(generations)
    .where(and(...conditions))
    .orderBy(...page.orderBy)
    .limit(o.limit);
}

/** The user's generations queued or running (counted after the user's lock). */
export async function generationsInFlightOf(db: ThinkerExecutor, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(generations)
    .where(and(eq(generations.userId, userId), inArray(generations.status, [...pendingStatuses])));
  return row?.n ?? 0;
}

/** Running, one more run counted (a job taken over from a dead worker counts again). */
export async function markGenerationRunning(db: ThinkerExecutor, g: GenerationRow, now: Date): Promise<void> {
  await db
    .update(generations)
    .set({ status: 'running', attempts: sql`${generations.attempts} + 1`, startedAt: g.startedAt ?? now, updatedAt: now })
    .where(and(eq(generations.id, g.id), inArray(generations.status, [...pendingStatuses])));
}

export async function pendingGenerationIdsUntouchedSince(db: ThinkerExecutor, untouchedSince: Date, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: generations.id })
    .from(generations)
    .where(and(inArray(generations.status, [...pendingStatuses]), lt(generations.updatedAt, untouchedSince)))
    .limit(limit);
  return rows.map((row) => row.id);
}

/** Erases every generation of a user (their drafts cascade); returns the ids. */
export async function deleteGenerationsOfUser(db: ThinkerExecutor, userId: string): Promise<string[]> {
  const deleted = await db.delete(generations).where(eq(generations.userId, userId)).returning({ id: generations.id });
  return deleted.map((row) => row.id);
}

/** Deletes one generation whatever its owner (a leftover of an erased user, found by its job). */
export async function deleteGeneration(db: ThinkerExecutor, id: string): Promise<void> {
  await db.delete(generations).where(eq(generations.id, id));
}
