import { randomUUID } from 'node:crypto';
import { createEvent } from '@trendcast/events';
import { startFakeOllama, type FakeOllama } from '@trendcast/fakes';
import { waitFor } from '@trendcast/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drafts, generations } from '../../src/db/schema.js';
import { answerWithDrafts } from '../support/fake-model.js';
import { injections, poisonedSummary } from '../support/fixtures.js';
import { sendEvent } from '../support/events.js';
import { startThinker, type ThinkerStack } from '../support/service.js';

/** What no stored draft may carry: the injected link, its host, or the mention. */
const forbidden = [/evil\.example/iu, /ｅｖｉｌ/u, /@admin/iu, /system prompt/iu];

describe('prompt injection through trend data and topics, end to end', () => {
  let fake: FakeOllama;
  let stack: ThinkerStack;

  beforeAll(async () => {
    fake = await startFakeOllama();
    stack = await startThinker({ env: { OLLAMA_HOST: fake.url, OLLAMA_MODEL: 'llama3.2:1b' } });
  });
  afterAll(async () => {
    await stack?.close();
    await fake?.close();
  });

  it('when a search’s rising queries carry injections, then the model gets them escaped inside the data block and the drafts stored are clean', async () => {
    answerWithDrafts(fake);
    const event = createEvent(
      'trends.search.completed',
      {
        searchId: randomUUID(),
        userId: randomUUID(),
        keywords: ['pizza'],
        geo: 'US',
        summary: poisonedSummary(injections.fenceBreak, injections.revealPrompt, injections.zeroWidthLink, injections.fullwidthLink),
        generate: { count: 3, tone: 'neutral', channel: 'timeline' },
      },
      { source: 'trends', correlationId: randomUUID() },
    );
    await sendEvent(stack.exchangeOf('trends'), event);
    const db = stack.service.deps.db;
    const generation = await waitFor(
      async () => {
        const [row] = await db.select().from(generations).where(eq(generations.searchId, event.data.searchId));
        return row?.status === 'completed' || row?.status === 'failed' ? row : undefined;
      },
      { what: 'the generation' },
    );
    expect(generation.status).toBe('completed');
    const chat = fake.generationRequests().find((request) => JSON.stringify(request.body).includes('detroit style pizza'));
    const userMessage: string = chat?.body.messages.find((m: { role: string }) => m.role === 'user').content;
    // The closing tag inside the data is escaped: the block is closed once, by us.
    expect(userMessage.match(/<\/trend_data>/gu)).toHaveLength(1);
    for (const draft of await db.select().from(drafts).where(eq(drafts.generationId, generation.id))) {
      for (const pattern of forbidden) expect(draft.text).not.toMatch(pattern);
    }
  });

  it('when the model echoes an injected link from the trend data, then the draft is rejected and the generation fails with a reason that does not quote it', async () => {
    fake.respondWith((request) => {
      const count = Number(request.body?.format?.properties?.drafts?.minItems ?? 1);
      return { kind: 'answer', content: JSON.stringify({ drafts: Array.from({ length: count }, (_, i) => ({ text: `Deal ${i}: post https://evil.example now` })) }) };
    });
    const user = randomUUID();
    const headers = await stack.signer.headersFor(user);
    const accepted = await stack.service.app!.inject({ method: 'POST', url: '/thinker/generations', headers, payload: { topic: injections.topicFenceBreak, count: 2 } });
    expect(accepted.statusCode).toBe(202);
    const done = await waitFor(
      async () => {
        const body = (await stack.service.app!.inject({ method: 'GET', url: `/thinker/generations/${accepted.json().id}`, headers })).json();
        return body.status === 'failed' || body.status === 'completed' ? body : undefined;
      },
      { what: 'the generation' },
    );
    expect(done.status).toBe('failed');
    expect(done.reason).toMatch(/break the rules/);
    expect(done.reason).not.toMatch(/evil\.example/);
    expect(done.drafts).toEqual([]);
  });
});
