import { and, desc, eq, sql } from 'drizzle-orm';
import type { TweeterExecutor } from '../db/client.js';
import { channels, type ChannelRow } from '../db/schema.js';

export type NewChannel = typeof channels.$inferInsert;

/** Null when a timeline channel with this handle exists already. */
export async function insertChannel(db: TweeterExecutor, channel: NewChannel): Promise<ChannelRow | null> {
  const [row] = await db.insert(channels).values(channel).onConflictDoNothing().returning();
  return row ?? null;
}

export async function channelsOfUser(db: TweeterExecutor, userId: string): Promise<ChannelRow[]> {
  return db.select().from(channels).where(eq(channels.userId, userId)).orderBy(desc(channels.createdAt), desc(channels.id)).limit(500);
}

export async function findUsersChannel(db: TweeterExecutor, o: { userId: string; channelId: string }): Promise<ChannelRow | undefined> {
  const [row] = await db
    .select()
    .from(channels)
    .where(and(eq(channels.id, o.channelId), eq(channels.userId, o.userId)));
  return row;
}

export async function findChannel(db: TweeterExecutor, channelId: string): Promise<ChannelRow | undefined> {
  const [row] = await db.select().from(channels).where(eq(channels.id, channelId));
  return row;
}

export async function findTimelineChannel(db: TweeterExecutor, handle: string): Promise<ChannelRow | undefined> {
  const [row] = await db
    .select()
    .from(channels)
    .where(and(eq(channels.kind, 'timeline'), eq(channels.handle, handle)));
  return row;
}

/** Deletes the channel (its posts and attempts go with it); false when the user has no such channel. */
export async function deleteUsersChannel(db: TweeterExecutor, o: { userId: string; channelId: string }): Promise<boolean> {
  const deleted = await db
    .delete(channels)
    .where(and(eq(channels.id, o.channelId), eq(channels.userId, o.userId)))
    .returning({ id: channels.id });
  return deleted.length > 0;
}

export async function deleteChannelsOfUser(db: TweeterExecutor, userId: string): Promise<number> {
  const deleted = await db.delete(channels).where(eq(channels.userId, userId)).returning({ id: channels.id });
  return deleted.length;
}

/** True only for the call that moved the channel from active: the person is told once per loss. */
export async function markNeedsReconnection(db: TweeterExecutor, channelId: string, now: Date): Promise<boolean> {
  const changed = await db
    .update(channels)
    .set({ status: 'needs_reconnection', updatedAt: now })
    .where(and(eq(channels.id, channelId), eq(channels.status, 'active')))
    .returning({ id: channels.id });
  return changed.length > 0;
}

/** Every post of the channel waits until `until` (the later of the pause in force and this one). */
export async function pauseChannel(db: TweeterExecutor, channelId: string, until: Date): Promise<void> {
  await db
    .update(channels)
    .set({ pausedUntil: sql`greatest(coalesce(${channels.pausedUntil}, ${until.toISOString()}::timestamptz), ${until.toISOString()}::timestamptz)` })
    .where(eq(channels.id, channelId));
}
