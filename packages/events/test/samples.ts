import { defaultNotificationPreferences, type EventData, type EventType } from '../src/index.js';

const userId = '6f1c1a6e-8d0e-4b43-9d55-1f4f0f6b8a11';
const now = '2026-11-23T10:00:00.000Z';
const summary = {
  timeframe: { start: '2021-01-01T00:00:00.000Z', end: '2021-12-31T00:00:00.000Z' },
  peaks: [{ keyword: 'pizza', date: '2021-02-07T00:00:00.000Z', value: 100 }],
  averages: [{ keyword: 'pizza', value: 71 }],
  risingQueries: [{ keyword: 'pizza', query: 'pizza near me open now', value: 'Breakout' }],
  topQueries: [{ keyword: 'pizza', query: 'pizza hut', value: 100 }],
  topRegions: [{ name: 'New York', code: 'US-NY', value: 100 }],
};

/** One valid payload per catalogued event, shared by the contract tests of every package. */
export const sampleEventData: { [T in EventType]: EventData<T> } = {
  'users.user.registered': { userId, email: 'ada@example.com', displayName: 'Ada', notificationPreferences: defaultNotificationPreferences },
  'users.email_verification.requested': { userId, email: 'ada@example.com', displayName: 'Ada', verifyUrl: 'https://trendcast.test/verify?token=abc', expiresAt: now },
  'users.user.updated': { userId, email: 'ada@example.com', displayName: 'Ada L.', notificationPreferences: { ...defaultNotificationPreferences, postPublished: false } },
  'users.password_reset.requested': { userId, email: 'ada@example.com', displayName: 'Ada', resetUrl: 'https://trendcast.test/reset?token=abc', expiresAt: now },
  'users.password.changed': { userId, email: 'ada@example.com', displayName: 'Ada', changedAt: now },
  'users.user.deleted': { userId },
  'trends.search.completed': { searchId: 'a5b0f5d6-7d59-4b8e-9c8b-3a3d2b9e7c01', userId, keywords: ['pizza', 'bagel'], geo: 'US', summary, generate: { count: 3, tone: 'playful', channel: 'timeline' } },
  'trends.search.failed': { searchId: 'a5b0f5d6-7d59-4b8e-9c8b-3a3d2b9e7c01', userId, keywords: ['pizza'], reason: 'Google Trends kept answering 429 Too Many Requests' },
  'thinker.drafts.generated': { generationId: 'c1c3e0c4-55d6-4f0e-8a38-0b9b5f6f2d10', userId, model: 'llama3.2', drafts: [{ id: 'd3e1f7a0-2b8c-4c1e-9f7a-6b5d4c3b2a19', text: 'Pizza is rising!', sentiment: { label: 'positive', score: 0.6, scorer: 'lexicon' } }] },
  'thinker.generation.failed': { generationId: 'c1c3e0c4-55d6-4f0e-8a38-0b9b5f6f2d10', userId, reason: 'model returned invalid JSON three times' },
  'thinker.draft.approved': { draftId: 'd3e1f7a0-2b8c-4c1e-9f7a-6b5d4c3b2a19', userId, text: 'Pizza is rising!', channelId: 'e4f2a8b1-3c9d-4d2f-8a1b-7c6e5d4f3a20', publishAt: now, sentiment: { label: 'positive', score: 0.6, scorer: 'offline' } },
  'tweeter.post.published': { postId: 'f5a3b9c2-4d0e-4e3a-9b2c-8d7f6e5a4b31', userId, channel: 'timeline', url: 'https://trendcast.test/timeline/f5a3b9c2', publishedAt: now },
  'tweeter.post.failed': { postId: 'f5a3b9c2-4d0e-4e3a-9b2c-8d7f6e5a4b31', userId, channel: 'mastodon', reason: 'instance answered 401 Unauthorized', attempts: 5 },
  'tweeter.channel.reconnection_needed': { channelId: 'e4f2a8b1-3c9d-4d2f-8a1b-7c6e5d4f3a20', userId, channelName: 'My Mastodon', kind: 'mastodon', reason: 'the instance revoked the access token' },
};
