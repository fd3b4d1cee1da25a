import { describe, expect, it } from 'vitest';
import { countGraphemes, countPostText, findEntities, limitFor } from '../src/index.js';

describe('countGraphemes', () => {
  it('when a character is built of several code points, then it counts once', () => {
    expect(countGraphemes('👍🏽')).toBe(1); // thumbs up + skin tone
    expect(countGraphemes('e\u0301')).toBe(1); // e + combining acute
    expect(countGraphemes('👨‍👩‍👧‍👦')).toBe(1); // family joined by ZWJ
    expect(countGraphemes('🇫🇷')).toBe(1); // regional indicator pair
  });

  it('when the text is plain ASCII, then each character counts once and CR LF once', () => {
    expect(countGraphemes('hello world')).toBe(11);
    expect(countGraphemes('a\r\nb')).toBe(3);
  });
});

describe('countPostText', () => {
  it('when a post carries a link, then the link counts 23 whatever its length', () => {
    const long = `Read https://example.com/${'x'.repeat(200)}`;
    expect(countPostText(long)).toBe('Read '.length + 23);
    expect(countPostText('https://a.io')).toBe(23);
  });

  it('when a link ends a sentence, then the full stop is text, not link', () => {
    expect(countPostText('See https://example.com/a.')).toBe('See '.length + 23 + 1);
  });

  it('when a mention names its instance, then only the local part counts', () => {
    expect(countPostText('hi @ada@mastodon.social')).toBe('hi @ada'.length);
    expect(countPostText('hi @ada')).toBe(7);
  });

  it('when an e-mail address appears, then it is text, not a mention', () => {
    expect(findEntities('write to ada@example.com')).toEqual([]);
    expect(countPostText('write to ada@example.com')).toBe(24);
  });

  it('when links and emoji mix, then each is counted as the network does', () => {
    expect(countPostText('🍕 https://pizza.example/today 🍕')).toBe(1 + 1 + 23 + 1 + 1);
  });
});

describe('limitFor', () => {
  it('when a Mastodon instance states its own limit, then that limit applies', () => {
    expect(limitFor('mastodon', 5000).maxCharacters).toBe(5000);
    expect(limitFor('mastodon').maxCharacters).toBe(500);
    expect(limitFor('timeline').maxCharacters).toBe(500);
  });
});
