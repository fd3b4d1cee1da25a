export const timelineChannel = {
  id: 'c-timeline',
  kind: 'timeline',
  name: 'My timeline',
  handle: 'ada',
  status: 'active',
  maxCharacters: 500,
  createdAt: '2025-01-01T00:00:00.000Z',
};

export const mastodonChannel = {
  id: 'c-masto',
  kind: 'mastodon',
  name: 'Ada on Mastodon',
  instanceUrl: 'https://mastodon.example',
  accountName: '@ada@mastodon.example',
  status: 'needs_reconnection',
  maxCharacters: 1000,
  createdAt: '2025-01-01T00:00:00.000Z',
};

export function draft(overrides: Record<string, unknown> = {}) {
  return {
    id: 'd-1',
    generationId: 'g-1',
    text: 'Pizza searches doubled this week.',
    channel: 'timeline',
    status: 'draft',
    sentiment: { label: 'positive', score: 0.62, confidence: 0.9, model: 'offline' },
    model: 'offline',
    createdAt: '2025-01-02T00:00:00.000Z',
    updatedAt: '2025-01-02T00:00:00.000Z',
    ...overrides,
  };
}

export function generation(overrides: Record<string, unknown> = {}) {
  return {
    id: 'g-1',
    status: 'completed',
    topic: 'pizza',
    count: 2,
    tone: 'neutral',
    channel: 'timeline',
    createdAt: '2025-01-02T00:00:00.000Z',
    drafts: [draft(), draft({ id: 'd-2', text: 'Bagels are sad now.', sentiment: { label: 'negative', score: -0.71, confidence: 0.8, model: 'offline' } })],
    ...overrides,
  };
}

export function post(overrides: Record<string, unknown> = {}) {
  return {
    id: 'p-1',
    channelId: 'c-timeline',
    channelKind: 'timeline',
    text: 'Pizza searches doubled this week.',
    status: 'scheduled',
    publishAt: '2030-05-01T09:00:00.000Z',
    createdAt: '2025-01-02T00:00:00.000Z',
    updatedAt: '2025-01-02T00:00:00.000Z',
    ...overrides,
  };
}
