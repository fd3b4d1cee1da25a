import { randomUUID } from 'node:crypto';
import { defaultNotificationPreferences } from '@trendcast/events';
import { testEnv, uniqueName } from '@trendcast/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecipientStore, type Recipient } from '../src/data/recipient-store.js';

const prefix = `${uniqueName('notifier_store')}:`;
let redis: Redis;
let store: RecipientStore;

beforeAll(() => {
  redis = new Redis(testEnv.redisUrl);
  store = new RecipientStore(redis, prefix);
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

const recipient = (overrides: Partial<Recipient> = {}): Recipient => ({
  userId: randomUUID(),
  email: 'ada@example.com',
  displayName: 'Ada',
  preferences: defaultNotificationPreferences,
  ...overrides,
});
const at = (iso: string, eventId = randomUUID()) => ({ occurredAt: iso, eventId });

describe('recipient projection', () => {
  it('when nothing was heard of a user, then the lookup says unknown', async () => {
    expect(await store.lookup(randomUUID())).toEqual({ status: 'unknown' });
  });

  it('when a user is stored, then the lookup returns address, name and preferences', async () => {
    const ada = recipient({ preferences: { ...defaultNotificationPreferences, draftsReady: false } });

    expect(await store.upsert(ada, at('2026-01-01T10:00:00.000Z'))).toBe('applied');

    expect(await store.lookup(ada.userId)).toEqual({ status: 'known', recipient: ada });
  });

  it('when an older change arrives after a newer one, then the newer one stays', async () => {
    const newer = recipient({ displayName: 'Ada L.' });
    const older = { ...newer, displayName: 'Ada', email: 'old@example.com' };
    await store.upsert(newer, at('2026-01-01T10:00:01.000Z'));

    expect(await store.upsert(older, at('2026-01-01T10:00:00.000Z'))).toBe('stale');

    expect(await store.lookup(newer.userId)).toEqual({ status: 'known', recipient: newer });
  });

  it('when the same event is applied twice, then the second time is stale', async () => {
    const ada = recipient();
    const version = at('2026-01-01T10:00:00.000Z');

    const outcomes = [await store.upsert(ada, version), await store.upsert(ada, version)];

    expect(outcomes).toEqual(['applied', 'stale']);
  });

  it('when a user is deleted, then their data is erased and a late update does not bring them back', async () => {
    const ada = recipient();
    await store.upsert(ada, at('2026-01-01T10:00:00.000Z'));

    expect(await store.erase(ada.userId, at('2026-01-01T10:00:05.000Z'))).toBe('erased');
    const lateUpdate = await store.upsert({ ...ada, displayName: 'Back?' }, at('2026-01-01T10:00:09.000Z'));

    expect(lateUpdate).toBe('deleted');
    expect(await store.lookup(ada.userId)).toEqual({ status: 'deleted' });
    expect(Object.keys(await redis.hgetall(`${prefix}recipient:${ada.userId}`)).sort()).toEqual(['at', 'deleted', 'eventId']);
    expect(await store.erase(ada.userId, at('2026-01-01T10:00:10.000Z'))).toBe('already-erased');
  });

  it('when a deletion arrives before the registration, then the user is never stored', async () => {
    const ada = recipient();
    await store.erase(ada.userId, at('2026-01-01T10:00:05.000Z'));

    expect(await store.upsert(ada, at('2026-01-01T10:00:00.000Z'))).toBe('deleted');
    expect(await store.lookup(ada.userId)).toEqual({ status: 'deleted' });
  });
});
