import { describe, expect, it } from 'vitest';
import { countPostText, findUrls, fitToLimit } from '../src/index.js';

describe('fitToLimit', () => {
  it('when the text fits, then it comes back whole and untrimmed', () => {
    expect(fitToLimit('  Short and sweet.  ', 50)).toEqual({ text: 'Short and sweet.', trimmed: false, length: 16 });
  });

  it('when a sentence end fits, then the text is cut there', () => {
    const text = 'Pizza searches doubled this week. Bagels held steady across the Northeast all month.';
    const fitted = fitToLimit(text, 40);
    expect(fitted).toMatchObject({ text: 'Pizza searches doubled this week.', trimmed: true });
    expect(fitted.length).toBeLessThanOrEqual(40);
  });

  it('when no sentence end fits, then it is cut between words with an ellipsis', () => {
    const fitted = fitToLimit('Pizza searches doubled across every region we looked at', 30);
    expect(fitted.text).toBe('Pizza searches doubled across…');
    expect(countPostText(fitted.text)).toBeLessThanOrEqual(30);
  });

  it('when the cut would fall inside a link, then the whole link goes and no link is broken', () => {
    const text = 'New peak for pizza https://trends.example/explore?q=pizza&geo=US today';
    const fitted = fitToLimit(text, 30);
    expect(fitted.text).toBe('New peak for pizza…');
    for (const url of findUrls(fitted.text)) expect(text).toContain(url.text);
  });

  it('when a link fits as 23, then it is kept whole even though it is longer', () => {
    const url = `https://trends.example/${'p'.repeat(80)}`;
    const fitted = fitToLimit(`Pizza is up. ${url} More to come for bagels and donuts.`, 40);
    expect(fitted.text).toBe(`Pizza is up. ${url}…`);
    expect(fitted.length).toBeLessThanOrEqual(40);
  });

  it('when the limit is tiny and the first word alone overruns it, then nothing honest remains', () => {
    expect(fitToLimit('Supercalifragilistic words', 5)).toEqual({ text: '', trimmed: true, length: 0 });
  });

  it('when the text has emoji near the limit, then they are never split', () => {
    const fitted = fitToLimit('🍕🍕🍕 👍🏽👍🏽 more words follow here', 8);
    expect(fitted.text).toBe('🍕🍕🍕 👍🏽👍🏽…');
    expect(fitted.length).toBe(7);
  });
});
