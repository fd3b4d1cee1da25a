import { countPostText } from '@trendcast/post-text';
import type { ChannelLimits } from './channel-adapter.js';
import { tweeterError } from './errors.js';

/**
 * The text's length as the channel counts it (graphemes, links at the channel's weight, mentions
 * by local part); throws TEXT_TOO_LONG over the limit (with the length and the limit) and TEXT_EMPTY for blank text.
 */
export function checkPostText(text: string, limits: ChannelLimits): number {
  if (text.trim() === '') throw tweeterError('TEXT_EMPTY', { message: 'the text is empty' });
  const length = countPostText(text, { linkWeight: limits.linkWeight, mentionsCountLocalPartOnly: true });
  if (length > limits.maxCharacters) {
    throw tweeterError('TEXT_TOO_LONG', {
      message: `the text counts ${length} characters; this channel allows ${limits.maxCharacters}`,
      details: { length, maxCharacters: limits.maxCharacters },
    });
  }
  return length;
}
