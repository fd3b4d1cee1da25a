import { countPostText, limitFor, type ChannelLimit } from '@trendcast/post-text';
import { describe, expect, it } from 'vitest';
import { allowedReferences, checkDraft } from '../../src/domain/draft-checks.js';
import { tones, type DraftSource } from '../../src/domain/generation-request.js';
import { writeOfflineDrafts } from '../../src/domain/offline-drafts.js';
import { referencesIn } from '../../src/domain/references.js';
import { injections, pizzaSource, pizzaSummary, poisonedSummary } from '../support/fixtures.js';

const limits: Array<[string, ChannelLimit]> = [
  ['timeline', limitFor('timeline')],
  ['mastodon', limitFor('mastodon')],
  ['a mastodon instance allowing 120', limitFor('mastodon', 120)],
  ['a mastodon instance allowing 60', limitFor('mastodon', 60)],
];
const risingQueries = pizzaSummary.risingQueries.map((item) => item.query);
const peakDays = ['February 7, 2021', 'November 25, 2021', 'May 14, 2021'];

function isGrounded(draft: string): boolean {
  return risingQueries.some((query) => draft.includes(query)) || peakDays.some((day) => draft.includes(day));
}

describe('writeOfflineDrafts', () => {
  it('when drafts are written for every tone, count and channel kind, then each fits its limit and passes every check', () => {
    for (const [name, limit] of limits) {
      for (const tone of tones) {
        for (const count of [1, 3, 10]) {
          const drafts = writeOfflineDrafts({ source: pizzaSource, count, tone, limit, seed: 'x' });
          expect(drafts, `${name} ${tone} ${count}`).toHaveLength(count);
          const kept: string[] = [];
          for (const draft of drafts) {
            expect(countPostText(draft, limit.rules), `${name}: ${draft}`).toBeLessThanOrEqual(limit.maxCharacters);
            expect(checkDraft(draft, { limit, instructions: '', allowed: new Set(), kept }), draft).toMatchObject({ ok: true });
            kept.push(draft);
          }
        }
      }
    }
  });

  it('when drafts are written from trend data, then each names a real rising search or a peak with its date', () => {
    for (const tone of tones) {
      const drafts = writeOfflineDrafts({ source: pizzaSource, count: 10, tone, limit: limitFor('timeline'), seed: 7 });
      for (const draft of drafts) expect(isGrounded(draft), draft).toBe(true);
      // Between them they cover several facts, not one repeated.
      expect(new Set(drafts.flatMap((draft) => [...risingQueries, ...peakDays].filter((fact) => draft.includes(fact)))).size).toBeGreaterThanOrEqual(5);
    }
  });

  it('when drafts are written for a small Mastodon instance, then the fact survives and the extras go', () => {
    for (const draft of writeOfflineDrafts({ source: pizzaSource, count: 6, tone: 'informative', limit: limitFor('mastodon', 120), seed: 1 })) {
      expect(isGrounded(draft), draft).toBe(true);
    }
  });

  it('when several drafts are written, then each starts differently', () => {
    for (const tone of tones) {
      const drafts = writeOfflineDrafts({ source: pizzaSource, count: 10, tone, limit: limitFor('timeline'), seed: 3 });
      const openings = drafts.map((draft) => draft.split(' ').slice(0, 3).join(' '));
      expect(new Set(openings).size, tone).toBe(10);
    }
  });

  it('when the seed is the same, then the drafts are the same; another seed varies them', () => {
    const write = (seed: string) => writeOfflineDrafts({ source: pizzaSource, count: 3, tone: 'witty', limit: limitFor('timeline'), seed });
    expect(write('generation-1')).toEqual(write('generation-1'));
    const variants = new Set(['a', 'b', 'c', 'd'].map((seed) => write(seed).join('\n')));
    expect(variants.size).toBeGreaterThan(1);
  });

  it('when a tone is asked, then the drafts are in it: tone openings differ between tones', () => {
    const first = (tone: (typeof tones)[number]) => writeOfflineDrafts({ source: pizzaSource, count: 10, tone, limit: limitFor('timeline'), seed: 1 }).map((draft) => draft.split(/[.:!?]/u)[0]);
    const enthusiastic = new Set(first('enthusiastic'));
    expect(first('professional').some((opening) => enthusiastic.has(opening))).toBe(false);
  });

  it('when rising searches carry injections, links or handles, then the offline drafts leave them out', () => {
    const summary = poisonedSummary(...Object.values(injections), 'pizza coupons at pizzadeals.com', 'follow @pizzaking');
    const drafts = writeOfflineDrafts({ source: { ...pizzaSource, summary }, count: 10, tone: 'neutral', limit: limitFor('timeline'), seed: 2 });
    for (const draft of drafts) {
      expect(referencesIn(draft), draft).toEqual([]);
      expect(draft).not.toMatch(/evil|admin|ignore|system|pizzadeals|pizzaking|[<>\p{Cf}]/iu);
      expect(isGrounded(draft), draft).toBe(true);
    }
  });

  it('when the search found no data at all, then the drafts say so honestly, with no figure invented', () => {
    const empty: DraftSource = { kind: 'trends', keywords: ['zorbling'], geo: '', summary: { ...pizzaSummary, peaks: [], averages: [], risingQueries: [], topQueries: [], topRegions: [] } };
    const drafts = writeOfflineDrafts({ source: empty, count: 3, tone: 'neutral', limit: limitFor('timeline'), seed: 1 });
    for (const draft of drafts) {
      expect(draft).toMatch(/too (little|low)/u);
      expect(draft).toContain('zorbling');
      expect(draft.replace(/20\d\d/gu, '')).not.toMatch(/\d/u);
    }
  });

  it('when only a topic is given, then the drafts state it and claim no data or figures', () => {
    const source: DraftSource = { kind: 'topic', topic: 'Our sourdough bakery opens on Main Street this Saturday' };
    for (const tone of tones) {
      const drafts = writeOfflineDrafts({ source, count: 5, tone, limit: limitFor('timeline'), seed: 4 });
      expect(new Set(drafts).size).toBe(5);
      for (const draft of drafts) {
        expect(draft).toMatch(/sourdough bakery opens on Main Street this Saturday/iu);
        expect(draft).not.toMatch(/\d|search|data|trend|Google/iu);
      }
    }
  });

  it('when a topic gives a link, then drafts may keep it; when the topic reads like an injection, its link is dropped', () => {
    const plain: DraftSource = { kind: 'topic', topic: 'Grand opening at https://bakery.example/open' };
    const kept = writeOfflineDrafts({ source: plain, count: 2, tone: 'neutral', limit: limitFor('timeline') });
    expect(kept.every((draft) => draft.includes('https://bakery.example/open'))).toBe(true);
    for (const draft of kept) expect(checkDraft(draft, { limit: limitFor('timeline'), instructions: '', allowed: allowedReferences(plain), kept: [] })).toMatchObject({ ok: true });

    const hostile: DraftSource = { kind: 'topic', topic: injections.topicFenceBreak };
    for (const draft of writeOfflineDrafts({ source: hostile, count: 3, tone: 'neutral', limit: limitFor('timeline') })) {
      expect(referencesIn(draft)).toEqual([]);
      expect(draft).not.toMatch(/[<>]/u);
    }
  });

  it('when the search has two keywords, then drafts speak of the keyword each fact belongs to', () => {
    const summary = {
      ...pizzaSummary,
      peaks: [...pizzaSummary.peaks, { keyword: 'bagel', date: '2021-03-01T00:00:00.000Z', value: 100 }],
      risingQueries: [...pizzaSummary.risingQueries, { keyword: 'bagel', query: 'everything bagel seasoning', value: '+250%' }],
    };
    const drafts = writeOfflineDrafts({ source: { kind: 'trends', keywords: ['pizza', 'bagel'], geo: 'US', summary }, count: 10, tone: 'informative', limit: limitFor('timeline'), seed: 5 });
    expect(drafts.some((draft) => draft.includes('everything bagel seasoning') || draft.includes('March 1, 2021'))).toBe(true);
  });
});
