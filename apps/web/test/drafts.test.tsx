import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { apiError, browserSession, fakeApi, type SeenRequest } from './support/fake-api.js';
import { draft, generation, mastodonChannel, timelineChannel } from './support/fixtures.js';
import { renderAt, signedIn, signedOut } from './support/render.js';

afterEach(() => signedOut());

function routes(extra: Record<string, unknown> = {}) {
  return {
    'POST /api/users/sessions/browser': { body: browserSession() },
    'GET /api/tweeter/channels': { body: { items: [timelineChannel, mastodonChannel] } },
    'GET /api/thinker/generations': { body: { items: [generation(), generation({ id: 'g-2', topic: 'bagels', drafts: [draft({ id: 'd-3', generationId: 'g-2', text: 'Bagel day.' })] })], nextCursor: null } },
    ...extra,
  } as Parameters<typeof fakeApi>[0];
}

const card = (text: string) => screen.getByRole('article', { name: `Draft: ${text}` });

describe('drafts page', () => {
  it('when drafts exist, then they are grouped by generation with sentiment as colour, word and score', async () => {
    fakeApi(routes());
    await signedIn();
    renderAt('/drafts');

    const pizza = await screen.findByRole('region', { name: 'Generation “pizza”' });
    const bagels = screen.getByRole('region', { name: 'Generation “bagels”' });
    expect(within(pizza).getAllByRole('article')).toHaveLength(2);
    expect(within(bagels).getAllByRole('article')).toHaveLength(1);
    const negative = card('Bagels are sad now.');
    expect(negative.className).toContain('sentiment-edge-negative');
    expect(within(negative).getByText('Negative').textContent).toContain('-0.71');
  });

  it('when editing, then the character count follows every keystroke against the channel limit and too long cannot be saved', async () => {
    fakeApi(routes());
    await signedIn();
    renderAt('/drafts');
    await screen.findAllByRole('article');
    const pizza = card('Pizza searches doubled this week.');

    await userEvent.click(within(pizza).getByRole('button', { name: 'Edit' }));
    const text = within(pizza).getByLabelText('Text');
    await userEvent.clear(text);
    await userEvent.type(text, 'Pizza 🍕 https://example.org/a/very/long/link');
    expect(within(pizza).getByText(/characters/).textContent).toBe('31 of 500 characters');
    expect(text.getAttribute('aria-describedby')).toMatch(/after/);

    fireEvent.change(text, { target: { value: 'x'.repeat(505) } });
    expect(within(pizza).getByText(/characters/).textContent).toBe('505 of 500 characters — 5 too many');
    expect((within(pizza).getByRole('button', { name: 'Save text' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('when the server refuses the edited text as too long, then its reason shows under the text field', async () => {
    fakeApi(routes({ 'PATCH /api/thinker/drafts/d-1': apiError(422, 'DRAFT_TOO_LONG', 'The text is longer than the channel allows (500)') }));
    await signedIn();
    renderAt('/drafts');
    await screen.findAllByRole('article');
    const pizza = card('Pizza searches doubled this week.');

    await userEvent.click(within(pizza).getByRole('button', { name: 'Edit' }));
    await userEvent.type(within(pizza).getByLabelText('Text'), ' More.');
    await userEvent.click(within(pizza).getByRole('button', { name: 'Save text' }));

    const field = within(pizza).getByLabelText('Text');
    expect(await within(pizza).findByText('The text is longer than the channel allows (500).')).toBeTruthy();
    expect(field.getAttribute('aria-invalid')).toBe('true');
  });

  it('when a negative draft is approved without the override, then the refusal is explained and approving with the box ticked sends override', async () => {
    const api = fakeApi(
      routes({
        'POST /api/thinker/drafts/d-2/approve': (request: SeenRequest) =>
          (request.body as { override?: boolean }).override
            ? { body: draft({ id: 'd-2', text: 'Bagels are sad now.', status: 'approved', channelId: 'c-timeline', publishAt: '2030-01-01T10:00:00.000Z', sentiment: { label: 'negative', score: -0.71 } }) }
            : apiError(409, 'NEGATIVE_SENTIMENT', 'This draft reads negative; approve it with override to publish it anyway'),
      }),
    );
    await signedIn();
    renderAt('/drafts');
    await screen.findAllByRole('article');
    const bagel = card('Bagels are sad now.');

    await userEvent.click(within(bagel).getByRole('button', { name: 'Approve' }));
    expect((await within(bagel).findByRole('alert')).textContent).toContain('Could not approve: This draft reads negative');
    const override = within(bagel).getByRole('checkbox', { name: 'Publish it although its tone reads negative' });
    await userEvent.click(override);
    await userEvent.click(within(bagel).getByRole('button', { name: 'Approve' }));

    expect(await within(card('Bagels are sad now.')).findByText(/Scheduled for/)).toBeTruthy();
    const approvals = api.requests('POST', '/api/thinker/drafts/d-2/approve').map((r) => r.body);
    expect(approvals).toEqual([{ channelId: 'c-timeline' }, { channelId: 'c-timeline', override: true }]);
  });

  it('when approving for a time, then the chosen channel and the instant are sent', async () => {
    const api = fakeApi(routes({ 'POST /api/thinker/drafts/d-1/approve': { body: draft({ status: 'approved', channelId: 'c-timeline', publishAt: '2030-03-04T05:06:00.000Z' }) } }));
    await signedIn();
    renderAt('/drafts');
    await screen.findAllByRole('article');
    const pizza = card('Pizza searches doubled this week.');

    fireEvent.change(within(pizza).getByLabelText('Publish at'), { target: { value: '2030-03-04T05:06' } });
    await userEvent.click(within(pizza).getByRole('button', { name: 'Approve' }));

    await within(card('Pizza searches doubled this week.')).findByText(/Scheduled for/);
    expect(api.requests('POST', '/api/thinker/drafts/d-1/approve')[0]?.body).toEqual({ channelId: 'c-timeline', publishAt: new Date('2030-03-04T05:06').toISOString() });
  });

  it('when no channel of the draft kind is active, then approval points to the channels page', async () => {
    fakeApi(routes({ 'GET /api/tweeter/channels': { body: { items: [mastodonChannel] } } }));
    await signedIn();
    renderAt('/drafts');
    await screen.findAllByRole('article');

    expect(within(card('Pizza searches doubled this week.')).getByRole('link', { name: 'Add one' }).getAttribute('href')).toBe('/channels');
  });

  it('when a draft is rejected, then its status changes in place', async () => {
    const api = fakeApi(routes({ 'POST /api/thinker/drafts/d-1/reject': { body: draft({ status: 'rejected' }) } }));
    await signedIn();
    renderAt('/drafts');
    await screen.findAllByRole('article');

    await userEvent.click(within(card('Pizza searches doubled this week.')).getByRole('button', { name: 'Reject' }));

    expect(await within(card('Pizza searches doubled this week.')).findByText('Rejected')).toBeTruthy();
    expect(api.requests('POST', '/api/thinker/drafts/d-1/reject')).toHaveLength(1);
  });

  it('when asking for new drafts about a topic, then the generation starts and its page opens', async () => {
    const api = fakeApi(
      routes({
        'POST /api/thinker/generations': { status: 202, body: { id: 'g-9', status: 'queued', statusUrl: '/api/thinker/generations/g-9' } },
        'GET /api/thinker/generations/g-9': [{ body: generation({ id: 'g-9', status: 'running', drafts: [] }) }, { body: generation({ id: 'g-9' }) }],
      }),
    );
    await signedIn();
    renderAt('/drafts');

    await userEvent.type(await screen.findByLabelText('Topic'), 'pizza in winter');
    await userEvent.click(screen.getByRole('button', { name: 'Write drafts' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Drafts being written' })).toBeTruthy();
    expect(api.requests('POST', '/api/thinker/generations')[0]?.body).toEqual({ topic: 'pizza in winter', count: 3, tone: 'neutral', channel: 'timeline' });
    expect(await screen.findByText(/Writing the drafts/)).toBeTruthy();
  });
});
