export { countPostText, defaultCountRules, type CountRules } from './count.js';
export { countGraphemes } from './graphemes.js';
export { findEntities, findMentions, findUrls, type TextEntity } from './entities.js';
export { fitToLimit, type FitResult } from './fit.js';
export {
  channelKinds,
  limitFor,
  mastodonDefaultMaxCharacters,
  timelineMaxCharacters,
  type ChannelKind,
  type ChannelLimit,
} from './limits.js';
