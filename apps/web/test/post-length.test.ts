import { describe, expect, it } from 'vitest';
import { countPostText, limitFor, linkLength } from '../src/lib/post-length.js';

describe('post length', () => {
  it('when text has emoji and combining marks, then each user-perceived character counts once', () => {
    expect(countPostText('héllo')).toBe(5);
    expect(countPostText('👩‍👩‍👧‍👦 family')).toBe(8);
    expect(countPostText('🇫🇷')).toBe(1);
  });

  it('when text has links, then every link counts 23 whatever its length', () => {
    const long = `https://example.org/${'a'.repeat(200)}`;
    expect(countPostText(`see ${long}`)).toBe(4 + linkLength);
    expect(countPostText('http://a.b and https://c.d/e')).toBe(linkLength + 5 + linkLength);
  });

  it('when asked for a channel kind, then the default limits are the agreed 500', () => {
    expect(limitFor('timeline')).toBe(500);
    expect(limitFor('mastodon')).toBe(500);
  });
});
