import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshTokens } from '../src/db/schema.js';
import { deleteExpiredTokens } from '../src/data/expired-tokens.js';
import { signedInUser, startHarness, type Harness } from './support/service.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

describe('expired token cleanup', () => {
  it('when tokens expired more than a day ago, then they are deleted and live ones stay', async () => {
    const stale = await signedInUser(h);
    const live = await signedInUser(h);
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600_000);
    await h.client.db.update(refreshTokens).set({ expiresAt: twoDaysAgo }).where(eq(refreshTokens.userId, stale.user.id));

    const deleted = await deleteExpiredTokens(h.client.db);

    expect(deleted.refreshTokens).toBe(1);
    expect(await h.client.db.select().from(refreshTokens).where(eq(refreshTokens.userId, stale.user.id))).toEqual([]);
    expect(await h.client.db.select().from(refreshTokens).where(eq(refreshTokens.userId, live.user.id))).toHaveLength(1);
  });
});
