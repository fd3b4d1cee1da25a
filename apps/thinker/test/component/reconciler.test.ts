import { randomUUID } from 'node:crypto';
import { waitFor } from '@trendcast/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertGeneration } from '../../src/data/generations.js';
import { generations } from '../../src/db/schema.js';
import { startThinker, type ThinkerStack } from '../support/service.js';

describe('the reconciler', () => {
  let stack: ThinkerStack;

  beforeAll(async () => {
    stack = await startThinker();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('when a queued generation has no job in Redis (lost, or never queued), then it is queued again and completes', async () => {
    const db = stack.service.deps.db;
    // Recorded as the API records it, but Redis never heard of it; untouched for a while.
    const generation = await insertGeneration(db, {
      userId: randomUUID(),
      searchId: null,
      topic: 'pizza',
      source: { kind: 'topic', topic: 'pizza' },
      count: 2,
      tone: 'neutral',
      channel: 'timeline',
      language: null,
      correlationId: randomUUID(),
      now: new Date(Date.now() - 60_000),
    });
    expect(await stack.service.deps.queue.jobState(generation!.id)).toBe('missing');
    const completed = await waitFor(
      async () => {
        const [row] = await db.select().from(generations).where(eq(generations.id, generation!.id));
        return row?.status === 'completed' ? row : undefined;
      },
      { what: 'the reconciler to queue the generation again' },
    );
    expect(completed.model).toBe('offline');
  });
});
