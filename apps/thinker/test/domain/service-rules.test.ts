import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { assertApprovable } from '../../src/domain/approval.js';
import { planForSearch } from '../../src/domain/search-generation.js';
import { pizzaSummary } from '../support/fixtures.js';

const search = { searchId: randomUUID(), userId: randomUUID(), keywords: ['pizza'], geo: 'US', summary: pizzaSummary };

describe('what a search’s generate request becomes', () => {
  it('when the tone is one of the five (any case), then it is kept; otherwise it is written neutral', () => {
    expect(planForSearch(search, { count: 2, tone: 'Witty', channel: 'timeline' })).toMatchObject({ ok: true, tone: 'witty', channel: 'timeline' });
    expect(planForSearch(search, { count: 2, tone: 'playful', channel: 'mastodon' })).toMatchObject({ ok: true, tone: 'neutral', channel: 'mastodon' });
  });

  it('when the channel kind is unknown, then the plan fails with a reason naming it', () => {
    const plan = planForSearch(search, { count: 2, tone: 'neutral', channel: 'fax' });
    expect(plan.ok).toBe(false);
    expect(!plan.ok && plan.reason).toContain('"fax"');
  });

  it('when planned, then the source carries the search’s keywords, region and summary', () => {
    expect(planForSearch(search, { count: 3, tone: 'neutral', channel: 'timeline' }).source).toEqual({ kind: 'trends', keywords: ['pizza'], geo: 'US', summary: pizzaSummary });
  });
});

describe('the approval rule', () => {
  it('when a draft is negative at or beyond the threshold, then approving it needs override', () => {
    expect(() => assertApprovable({ sentimentLabel: 'negative', sentimentScore: -0.5 }, { threshold: 0.5, override: false })).toThrow(/negative/);
    expect(() => assertApprovable({ sentimentLabel: 'negative', sentimentScore: -0.9 }, { threshold: 0.5, override: true })).not.toThrow();
  });

  it('when a draft is mildly negative, neutral or positive, then it is approved without override', () => {
    expect(() => assertApprovable({ sentimentLabel: 'negative', sentimentScore: -0.49 }, { threshold: 0.5, override: false })).not.toThrow();
    expect(() => assertApprovable({ sentimentLabel: 'neutral', sentimentScore: -0.6 }, { threshold: 0.5, override: false })).not.toThrow();
    expect(() => assertApprovable({ sentimentLabel: 'positive', sentimentScore: 0.9 }, { threshold: 0, override: false })).not.toThrow();
  });
});
