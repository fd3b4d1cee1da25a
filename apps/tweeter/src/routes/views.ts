import type { AttemptRow, ChannelRow, PostRow } from '../db/schema.js';
import type { TimelineEntry } from '../use-cases/read-timeline.js';

/** A channel as the API shows it: never its credentials. */
export function channelView(channel: ChannelRow) {
  return {
    id: channel.id,
    kind: channel.kind,
    name: channel.name,
    handle: channel.handle,
    instanceUrl: channel.instanceUrl,
    accountName: channel.accountName,
    status: channel.status,
    maxCharacters: channel.maxCharacters,
    createdAt: channel.createdAt.toISOString(),
  };
}

export function postView(post: PostRow, attempts?: AttemptRow[]) {
  return {
    id: post.id,
    channelId: post.channelId,
    channelKind: post.channelKind,
    text: post.text,
    status: post.status,
    publishAt: post.publishAt.toISOString(),
    publishedAt: post.publishedAt?.toISOString() ?? null,
    url: post.url,
    failureReason: post.failureReason,
    draftId: post.draftId,
    sentiment: post.sentimentLabel ? { label: post.sentimentLabel, score: post.sentimentScore ?? 0 } : null,
    createdAt: post.createdAt.toISOString(),
    updatedAt: post.updatedAt.toISOString(),
    ...(attempts
      ? {
          attempts: attempts.map((a) => ({
            number: a.number,
            startedAt: a.startedAt.toISOString(),
            finishedAt: a.finishedAt?.toISOString() ?? null,
            outcome: a.outcome ?? 'unknown',
            error: a.error,
          })),
        }
      : {}),
  };
}

export function timelineEntryView(entry: TimelineEntry) {
  return {
    id: entry.id,
    handle: entry.handle,
    text: entry.text,
    publishedAt: entry.publishedAt.toISOString(),
    url: entry.url,
    sentiment: entry.sentimentLabel ? { label: entry.sentimentLabel } : null,
  };
}
