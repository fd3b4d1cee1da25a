import { z } from 'zod';
import { defineEvent } from '../define-event.js';
import { isoDateTime, userId } from './shared.js';

export const postPublished = defineEvent('tweeter.post.published', 1, z.object({
  postId: z.uuid(),
  userId,
  draftId: z.uuid().optional(),
  channel: z.string().min(1).max(100),
  url: z.url(),
  publishedAt: isoDateTime,
}));

export const postFailed = defineEvent('tweeter.post.failed', 1, z.object({
  postId: z.uuid(),
  userId,
  draftId: z.uuid().optional(),
  channel: z.string().min(1).max(100),
  reason: z.string().min(1).max(1000),
  attempts: z.number().int().min(1),
}));

/** A channel's network refused its credentials: the person must reconnect it before posts go out. Sent once per loss. */
export const channelReconnectionNeeded = defineEvent('tweeter.channel.reconnection_needed', 1, z.object({
  channelId: z.uuid(),
  userId,
  channelName: z.string().min(1).max(100),
  kind: z.string().min(1).max(50),
  reason: z.string().min(1).max(1000),
}));
