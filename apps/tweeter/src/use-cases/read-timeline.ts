import { pageOf, type Page, type PagePosition } from '@trendcast/service-kit';
import { findTimelineChannel } from '../data/channels.js';
import { timelinePage } from '../data/posts.js';
import type { SentimentLabel } from '../db/schema.js';
import type { TweeterDeps } from './deps.js';

export interface TimelineEntry {
  id: string;
  handle: string;
  text: string;
  publishedAt: Date;
  url: string | null;
  sentimentLabel: SentimentLabel | null;
}

/** The public timeline, newest first: everyone's, or one handle's (undefined for a handle nobody has). */
export async function readTimeline(
  deps: Pick<TweeterDeps, 'db'>,
  o: { handle?: string | undefined; limit: number; after: PagePosition | undefined },
): Promise<Page<TimelineEntry> | undefined> {
  let channelId: string | undefined;
  if (o.handle !== undefined) {
    const channel = await findTimelineChannel(deps.db, o.handle);
    if (!channel) return undefined;
    channelId = channel.id;
  }
  const rows = await timelinePage(deps.db, { channelId, limit: o.limit, after: o.after });
  const entries = rows.map((row) => ({ ...row, handle: row.handle ?? '', publishedAt: row.publishedAt ?? new Date(0) }));
  return pageOf(entries, o.limit, (row) => ({ at: row.publishedAt, id: row.id }));
}
