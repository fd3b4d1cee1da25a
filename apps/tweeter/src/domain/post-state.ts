import { tweeterError } from './errors.js';

export const postStatuses = ['scheduled', 'publishing', 'published', 'failed', 'cancelled'] as const;
export type PostStatus = (typeof postStatuses)[number];

export type PostEvent = 'start_publishing' | 'published' | 'failed' | 'cancel' | 'edit' | 'reschedule';

/** What the state machine needs to know about a post besides its status. */
export interface PostSnapshot {
  status: PostStatus;
  /** An attempt is running right now (a worker holds the post). */
  attemptInFlight?: boolean;
  /** The last attempt ended without knowing whether the network made the post. */
  outcomeUnknown?: boolean;
}

/**
 * The life of a post: scheduled → publishing → published | failed, or cancelled. It stays
 * `publishing` between retries, so its text cannot change under a retry that reuses the
 * idempotency key. Edit and reschedule only while scheduled. A publishing post can be cancelled
 * only between attempts, and not while the network may already hold it.
 */
export function nextStatus(post: PostSnapshot, event: PostEvent): PostStatus {
  const { status } = post;
  switch (event) {
    case 'edit':
    case 'reschedule':
      if (status !== 'scheduled') throw tweeterError('POST_NOT_EDITABLE', { message: `a post can be changed only while it is scheduled; this one is ${status}` });
      return 'scheduled';
    case 'start_publishing':
      if (status === 'scheduled' || (status === 'publishing' && !post.attemptInFlight)) return 'publishing';
      throw transitionRefused(status, event);
    case 'published':
    case 'failed':
      if (status === 'publishing') return event;
      throw transitionRefused(status, event);
    case 'cancel':
      if (status === 'scheduled') return 'cancelled';
      if (status === 'publishing') {
        if (post.attemptInFlight) throw transitionRefused(status, event, 'the post is being published right now');
        if (post.outcomeUnknown) {
          throw transitionRefused(status, event, 'the network may already have published this post; it is being checked');
        }
        return 'cancelled';
      }
      throw transitionRefused(status, event);
  }
}

export function canEdit(status: PostStatus): boolean {
  return status === 'scheduled';
}

export function isFinal(status: PostStatus): boolean {
  return status === 'published' || status === 'failed' || status === 'cancelled';
}

function transitionRefused(from: string, event: string, why?: string) {
  return tweeterError('POST_STATE_CONFLICT', { message: why ?? `a ${from} post cannot be ${describeEvent(event)}` });
}

function describeEvent(event: string): string {
  return (
    {
      start_publishing: 'published',
      published: 'marked published',
      failed: 'marked failed',
      cancel: 'cancelled',
      edit: 'edited',
      reschedule: 'rescheduled',
    }[event] ?? event
  );
}
