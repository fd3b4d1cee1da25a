import { timelineMaxCharacters } from '@trendcast/post-text';
import type { ChannelLimits } from './channel-adapter.js';
import { tweeterError } from './errors.js';

/** Trendcast's own public timeline: 500 characters, a link counts 23, as on Mastodon. */
export const timelineLimits: ChannelLimits = { maxCharacters: timelineMaxCharacters, linkWeight: 23 };

const handlePattern = /^[a-z0-9_]{3,30}$/;

/**
 * A timeline handle as typed (`@Ada_Lovelace`, ` ada `) in its stored form (`ada_lovelace`), or
 * INVALID_HANDLE. Handles are case-insensitive, so they are kept lower-case.
 */
export function parseTimelineHandle(input: string): string {
  const handle = input.trim().replace(/^@/, '').toLowerCase();
  if (!handlePattern.test(handle)) throw tweeterError('INVALID_HANDLE');
  return handle;
}
