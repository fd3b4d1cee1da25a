import { countPostText } from '@trendcast/post-text';
import type { ChannelLimits } from './channel-adapter.js';
import { EmptyTextError, TextTooLongError } from './errors.js';

/**
 * The text's length as the channel counts it (graphemes, links at the channel's weight, mentions
 * by local part); throws TextTooLongError over the limit and EmptyTextError for blank text.
 */
export function checkPostText(text: string, limits: ChannelLimits): number {
  if (text.trim() === '') throw new EmptyTextError();
  const length = countPostText(text, { linkWeight: limits.linkWeight, mentionsCountLocalPartOnly: true });
  if (length > limits.maxCharacters) throw new TextTooLongError(length, limits.maxCharacters);
  return length;
}
