import { inboxAfterPruning } from '@trendcast/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './support/service.js';

describe('inbox pruning', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ env: { INBOX_RETENTION_DAYS: '7' }, start: false });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('when the service starts with handled events older than INBOX_RETENTION_DAYS, then its pruner forgets them and keeps the younger ones', async () => {
    // Ids the users.user.deleted consumer handled 8 days, 6 days and a moment ago; the service starts.
    const { left, kept } = await inboxAfterPruning({ databaseUrl: stack.db.url, consumer: 'trends', start: () => stack.service.start() });

    expect(left).toEqual(kept);
  });
});
