import { type PagePosition } from '@trendcast/service-kit';
import { newestFirstAfter } from '@trendcast/database';
import { and, asc, eq, getTableColumns, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { DomainEvent } from '@trendcast/events';
import { driverOf, outboxStatement } from '@trendcast/outbox';
import type { TweeterDatabase, TweeterExecutor, TweeterTransaction } from '../db/client.js';
import { channels, postAttempts, posts, type AttemptRow, type PostRow } from '../db/schema.js';
import type { PostStatus } from '../domain/post-state.js';

export type NewPost = typeof posts.$inferInsert;

/** Null when the user has a post of this draft already (the same approval delivered twice). */
export async function insertPost(db: TweeterExecutor, post: NewPost): Promise<PostRow | null> {
  const [row] = await db.insert(posts).values(post).onConflictDoNothing().returning();
  return row ?? null;
}

export async function findPost(db: TweeterExecutor, postId: string): Promise<PostRow | undefined> {
  const [row] = await db.select().from(posts).where(eq(posts.id, postId));
  return row;
}

export async function findUsersPost(db: TweeterExecutor, o: { userId: string; postId: string }): Promise<PostRow | undefined> {
  const [row] = await db
    .select()
    .from(posts)
    .where(and(eq(posts.id, o.postId), eq(posts.userId, o.userId)));
  return row;
}

/** The user's post, locked until the transaction ends. */
export async function lockUsersPost(tx: TweeterTransaction, o: { userId: string; postId: string }): Promise<PostRow | undefined> {
  const [row] = await tx
    .select()
    .from(posts)
    .where(and(eq(posts.id, o.postId), eq(posts.userId, o.userId)))
    .for('update');
  return row;
}

export async function listUsersPosts(
  db: TweeterExecutor,
  o: { userId: string; status?: PostStatus | undefined; channelId?: string | undefined; limit: number; after: PagePosition | undefined },
): Promise<PostRow[]> {
  const page = newestFirstAfter({ at: posts.createdAt, id: posts.id }, o.after);
  const conditions: (SQL | undefined)[] = [eq(posts.userId, o.userId), page.where];
  if (o.status) conditions.push(eq(posts.status, o.status));
  if (o.channelId) conditions.push(eq(posts.channelId, o.channelId));
  return db
    .select()
    .from(posts)
    .where(and(...conditions))
    .orderBy(...page.orderBy)
    .limit(o.limit + 1);
}

export async function attemptsOf(db: TweeterExecutor, postId: string): Promise<AttemptRow[]> {
  return db.select().from(postAttempts).where(eq(postAttempts.postId, postId)).orderBy(asc(postAttempts.number));
}

export async function updatePost(tx: TweeterTransaction, postId: string, changes: Partial<NewPost>): Promise<PostRow> {
  const [row] = await tx.update(posts).set(changes).where(eq(posts.id, postId)).returning();
  if (!row) throw new Error(`post ${postId} vanished inside its transaction`);
  return row;
}

/** Ids of the user's posts that may still have a job in Redis. */
export async function pendingPostIdsOfUser(db: TweeterExecutor, userId: string): Promise<string[]> {
  const rows = await db
    .select({ id: posts.id })
    .from(posts)
    .where(and(eq(posts.userId, userId), inArray(posts.status, ['scheduled', 'publishing'])));
  return rows.map((row) => row.id);
}

export async function pendingPostIdsOfChannel(db: TweeterExecutor, channelId: string): Promise<string[]> {
  const rows = await db
    .select({ id: posts.id })
    .from(posts)
    .where(and(eq(posts.channelId, channelId), inArray(posts.status, ['scheduled', 'publishing'])));
  return rows.map((row) => row.id);
}

// ---- publishing -------------------------------------------------------------------------------

/** The post with its channel, as the publish step reads it before claiming. */
export async function postWithChannel(db: TweeterDatabase, postId: string) {
  const [row] = await postWithChannelQuery(db).execute({ postId });
  return row;
}

// Prepared once per pool: the publish step runs it for every post.
const preparedByDb = new WeakMap<TweeterDatabase, ReturnType<typeof preparePostWithChannel>>();
function preparePostWithChannel(db: TweeterDatabase) {
  return db
    .select({ post: posts, channel: channels })
    .from(posts)
    .innerJoin(channels, eq(channels.id, posts.channelId))
    .where(eq(posts.id, sql.placeholder('postId')))
    .prepare('tweeter_post_with_channel');
}
function postWithChannelQuery(db: TweeterDatabase) {
  let prepared = preparedByDb.get(db);
  if (!prepared) {
    prepared = preparePostWithChannel(db);
    preparedByDb.set(db, prepared);
  }
  return prepared;
}

const postColumns = getTableColumns(posts);

/** A posts row as the driver returned it from raw SQL, mapped as drizzle maps its own queries. */
function postFromDriver(raw: Record<string, unknown>): PostRow {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(postColumns)) {
    const value = raw[column.name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as PostRow;
}

/**
 * The only way a post starts an attempt: scheduled and due, or publishing between retries and due,
 * or publishing with a claim older than the lease (its worker died mid-attempt: the outcome of that
 * attempt is unknown, so `unknown_since` keeps when it was sent). PostgreSQL decides, so two
 * workers can never hold one post. The claim and its attempt row are one statement, written once
 * here as the CTEs `claimed` and `attempt` ($1 post id, $2 now, $3 claims older than this are
 * stale); `extraCondition` narrows which post may be claimed.
 */
const claimCtes = (extraCondition: string) => `
  claimed as (
    update posts set
      status = 'publishing',
      attempt_count = attempt_count + 1,
      claimed_at = $2::timestamptz,
      next_attempt_at = null,
      unknown_since = case when claimed_at is not null then coalesce(unknown_since, claimed_at) else unknown_since end,
      updated_at = $2::timestamptz
    where id = $1${extraCondition} and (
      (status = 'scheduled' and publish_at <= $2::timestamptz)
      or (status = 'publishing' and claimed_at is null and (next_attempt_at is null or next_attempt_at <= $2::timestamptz))
      or (status = 'publishing' and claimed_at <= $3::timestamptz)
    )
    returning *
  ), attempt as (
    insert into post_attempts (post_id, number, started_at)
    select id, attempt_count, $2::timestamptz from claimed
    on conflict do nothing
  )`;

const claimStatement = `with ${claimCtes('')}
  select * from claimed`;

export async function claimPost(db: TweeterExecutor, postId: string, now: Date, staleBefore: Date): Promise<PostRow | undefined> {
  const [raw] = await prepared(db, claimStatement, [postId, now.toISOString(), staleBefore.toISOString()]);
  return raw ? postFromDriver(raw) : undefined;
}

const claimWithinLimitStatement = `
  with in_flight as (
    select count(*)::int as n from posts
    where channel_id = $4 and status = 'publishing' and claimed_at > $3::timestamptz
  ), ${claimCtes(' and (select n from in_flight) < $5')}
  select (select n from in_flight) as tweeter_in_flight, claimed.* from (select 1) as one left join claimed on true`;

/**
 * claimPost for a channel whose attempts in flight are limited: the claim happens only while fewer
 * than `limit` attempts of the channel are in flight (claims younger than the lease). The count
 * runs after a per-channel transaction lock, in a statement of its own snapshot, so concurrent
 * claims on one channel see one another; lock and claim go to the server in one pipelined write.
 * 'busy' when the channel is at its limit.
 */
export async function claimPostWithinLimit(
  db: TweeterDatabase,
  o: { postId: string; channelId: string; now: Date; staleBefore: Date; limit: number },
): Promise<PostRow | 'busy' | undefined> {
  const driver = driverOf(db);
  if (!driver) throw new Error('the tweeter database is drizzle on postgres.js');
  const [, rows] = (await driver.begin((tx) => [
    tx.unsafe('select pg_advisory_xact_lock(hashtext($1))', [`tweeter.channel-claims:${o.channelId}`], { prepare: true }),
    tx.unsafe(claimWithinLimitStatement, [o.postId, o.now.toISOString(), o.staleBefore.toISOString(), o.channelId, o.limit], { prepare: true }),
  ])) as unknown as [unknown, Record<string, unknown>[]];
  const raw = rows[0];
  if (!raw || raw.id === null || raw.id === undefined) return Number(raw?.tweeter_in_flight ?? 0) >= o.limit ? 'busy' : undefined;
  return postFromDriver(raw);
}

/** Hot statements go to the driver prepared (one round trip, no query building): see @trendcast/outbox's driverOf. */
async function prepared(db: TweeterExecutor, statement: string, params: Array<string | number>): Promise<Record<string, unknown>[]> {
  const driver = driverOf(db);
  if (!driver) throw new Error('the tweeter database is drizzle on postgres.js');
  return (await driver.unsafe(statement, params, { prepare: true })) as unknown as Record<string, unknown>[];
}

/**
 * Marks the post held by this attempt published, and ends the attempt (and any earlier one a dead
 * worker left open, as unknown): one statement, inside the transaction that adds the event.
 */
const publishedStatement = `
  with published as (
    update posts set status = 'published', url = $3, remote_id = $4, published_at = $5::timestamptz,
      claimed_at = null, next_attempt_at = null, failure_reason = null, updated_at = $5::timestamptz
    where id = $1 and status = 'publishing' and attempt_count = $2
    returning *
  ), finished as (
    update post_attempts set outcome = 'published', finished_at = $5::timestamptz
    where post_id = $1 and number = $2 and exists (select 1 from published)
  ), abandoned as (
    update post_attempts set outcome = 'unknown', error = 'the worker stopped during this attempt'
    where post_id = $1 and number < $2 and outcome is null and exists (select 1 from published)
  )
  select * from published`;

/** The claim was lost between sending and recording (another worker took the post over). */
class ClaimLost extends Error {}

/**
 * Marks the post held by this attempt published, ends the attempt (and any earlier one a dead
 * worker left open, as unknown) and records `event` in the outbox: one transaction, its statements
 * pipelined in one write. Undefined, with nothing written, when this attempt no longer holds the post.
 */
export async function markPublished(
  db: TweeterDatabase,
  o: { postId: string; attempt: number; url: string; remoteId: string; now: Date },
  event: DomainEvent,
): Promise<PostRow | undefined> {
  const driver = driverOf(db);
  if (!driver) throw new Error('the tweeter database is drizzle on postgres.js');
  try {
    return await driver.begin(async (tx) => {
      const [rows] = await Promise.all([
        tx.unsafe(publishedStatement, [o.postId, o.attempt, o.url, o.remoteId, o.now.toISOString()], { prepare: true }),
        outboxStatement(tx, event),
      ]);
      const raw = (rows as unknown as Record<string, unknown>[])[0];
      if (!raw) throw new ClaimLost();
      return postFromDriver(raw);
    });
  } catch (error) {
    if (error instanceof ClaimLost) return undefined;
    throw error;
  }
}

/** Ends the attempt (and any earlier one a dead worker left open, as unknown). */
export async function finishAttempts(
  tx: TweeterExecutor,
  postId: string,
  o: { number: number; outcome: AttemptRow['outcome']; error: string | null; now: Date },
): Promise<void> {
  await tx
    .update(postAttempts)
    .set({ outcome: o.outcome, error: o.error, finishedAt: o.now })
    .where(and(eq(postAttempts.postId, postId), eq(postAttempts.number, o.number)));
  await tx
    .update(postAttempts)
    .set({ outcome: 'unknown', error: 'the worker stopped during this attempt' })
    .where(and(eq(postAttempts.postId, postId), isNull(postAttempts.outcome), sql`${postAttempts.number} < ${o.number}`));
}

/** Only a post still held by this attempt changes (status publishing, attempt number unchanged). */
export async function updateHeldPost(tx: TweeterTransaction, o: { postId: string; attempt: number }, changes: Partial<NewPost>): Promise<PostRow | undefined> {
  const [row] = await tx
    .update(posts)
    .set(changes)
    .where(and(eq(posts.id, o.postId), eq(posts.status, 'publishing'), eq(posts.attemptCount, o.attempt)))
    .returning();
  return row;
}

/** Fails a post that never got to an attempt (its channel lost its credentials, say). */
export async function failUnclaimedPost(tx: TweeterTransaction, postId: string, reason: string, now: Date): Promise<PostRow | undefined> {
  const [row] = await tx
    .update(posts)
    .set({ status: 'failed', failureReason: reason, claimedAt: null, nextAttemptAt: null, updatedAt: now })
    .where(and(eq(posts.id, postId), or(eq(posts.status, 'scheduled'), and(eq(posts.status, 'publishing'), isNull(posts.claimedAt)))))
    .returning();
  return row;
}

/** Whether the post is on the timeline already (what the timeline "network" is asked before sending again). */
export async function isPostPublished(db: TweeterExecutor, postId: string): Promise<boolean> {
  const [row] = await db.select({ status: posts.status }).from(posts).where(eq(posts.id, postId));
  return row?.status === 'published';
}

// ---- reconciliation ---------------------------------------------------------------------------

/**
 * Posts that must have a job now: scheduled and due within `dueBefore`, publishing between retries
 * and due by then, or publishing with a stale claim. Oldest first; `at` is when the job should run.
 */
export async function postsNeedingJobs(db: TweeterExecutor, o: { dueBefore: Date; staleBefore: Date; limit: number }): Promise<Array<{ id: string; at: Date }>> {
  const rows = await db
    .select({ id: posts.id, publishAt: posts.publishAt, nextAttemptAt: posts.nextAttemptAt, claimedAt: posts.claimedAt })
    .from(posts)
    .where(
      and(
        inArray(posts.status, ['scheduled', 'publishing']),
        lte(posts.publishAt, o.dueBefore),
        or(
          eq(posts.status, 'scheduled'),
          and(isNull(posts.claimedAt), or(isNull(posts.nextAttemptAt), lte(posts.nextAttemptAt, o.dueBefore))),
          lte(posts.claimedAt, o.staleBefore),
        ),
      ),
    )
    .orderBy(asc(posts.publishAt))
    .limit(o.limit);
  return rows.map((row) => ({ id: row.id, at: row.claimedAt ? new Date() : (row.nextAttemptAt ?? row.publishAt) }));
}

// ---- the public timeline ----------------------------------------------------------------------

export async function timelinePage(db: TweeterExecutor, o: { channelId?: string | undefined; limit: number; after: PagePosition | undefined }) {
  const page = newestFirstAfter({ at: posts.publishedAt, id: posts.id }, o.after);
  const conditions: (SQL | undefined)[] = [eq(posts.status, 'published'), eq(posts.channelKind, 'timeline'), page.where];
  if (o.channelId) conditions.push(eq(posts.channelId, o.channelId));
  return db
    .select({
      id: posts.id,
      handle: channels.handle,
      text: posts.text,
      publishedAt: posts.publishedAt,
      url: posts.url,
      sentimentLabel: posts.sentimentLabel,
    })
    .from(posts)
    .innerJoin(channels, eq(channels.id, posts.channelId))
    .where(and(...conditions))
    .orderBy(...page.orderBy)
    .limit(o.limit + 1);
}
