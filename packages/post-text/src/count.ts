import { findEntities } from './entities.js';
import { countGraphemes } from './graphemes.js';

export interface CountRules {
  /** What a link counts, whatever its length (Mastodon and X: 23). */
  linkWeight: number;
  /** Mastodon counts `@user@instance` as `@user`: only the local part is charged. */
  mentionsCountLocalPartOnly: boolean;
}

export const defaultCountRules: CountRules = { linkWeight: 23, mentionsCountLocalPartOnly: true };

/** The length of a post as the network counts it against its limit. */
export function countPostText(text: string, rules: CountRules = defaultCountRules): number {
  let length = 0;
  let cursor = 0;
  for (const entity of findEntities(text)) {
    length += countGraphemes(text.slice(cursor, entity.start));
    if (entity.kind === 'url') length += rules.linkWeight;
    else length += countGraphemes(rules.mentionsCountLocalPartOnly ? localPart(entity.text) : entity.text);
    cursor = entity.end;
  }
  return length + countGraphemes(text.slice(cursor));
}

function localPart(mention: string): string {
  const second = mention.indexOf('@', 1);
  return second === -1 ? mention : mention.slice(0, second);
}
