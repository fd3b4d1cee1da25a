import { defaultCountRules, type CountRules } from './count.js';

/** The kinds of channel a post can be published to. */
export const channelKinds = ['timeline', 'mastodon'] as const;
export type ChannelKind = (typeof channelKinds)[number];

export interface ChannelLimit {
  maxCharacters: number;
  rules: CountRules;
}

/** Mastodon's own default; an instance may allow more (`configuration.statuses.max_characters`). */
export const mastodonDefaultMaxCharacters = 500;
export const timelineMaxCharacters = 500;

/** A channel kind's limit; a Mastodon channel passes its instance's own figure when known. */
export function limitFor(kind: ChannelKind, instanceMaxCharacters?: number): ChannelLimit {
  switch (kind) {
    case 'timeline':
      return { maxCharacters: timelineMaxCharacters, rules: defaultCountRules };
    case 'mastodon':
      return { maxCharacters: instanceMaxCharacters ?? mastodonDefaultMaxCharacters, rules: defaultCountRules };
  }
}
