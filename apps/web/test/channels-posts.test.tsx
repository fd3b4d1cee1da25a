import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { browserSession, fakeApi } from './support/fake-api.js';
import { mastodonChannel, post, timelineChannel } from './support/fixtures.js';
import { renderAt, signedIn, signedOut } from './support/render.js';

afterEach(() => signedOut());

const signIn = { 'POST /api/users/sessions/browser': { body: browserSession() } };

describe('channels page', () => {
  it('when connecting Mastodon, then the browser goes to the instance consent page the API returned', async () => {
    const assign = vi.fn();
    vi.spyOn(window, 'location', 'get').mockReturnValue({ ...window.location, assign } as Location);
    const api = fakeApi({
      ...signIn,
      'GET /api/tweeter/channels': { body: { items: [] } },
      'POST /api/tweeter/channels/mastodon/authorize': { body: { authorizeUrl: 'https://mastodon.example/oauth/authorize?client_id=x&state=s' } },
    });
    await signedIn();
    renderAt('/channels');

    expect(await screen.findByText(/No channels yet/)).toBeTruthy();
    await userEvent.type(screen.getByLabelText('Mastodon instance'), 'mastodon.example');
    await userEvent.click(screen.getByRole('button', { name: 'Connect with Mastodon' }));

    await vi.waitFor(() => expect(assign).toHaveBeenCalledWith('https://mastodon.example/oauth/authorize?client_id=x&state=s'));
    expect(api.requests('POST', '/api/tweeter/channels/mastodon/authorize')[0]?.body).toEqual({ instanceUrl: 'https://mastodon.example', name: 'mastodon.example' });
  });

  it('when the OAuth callback sends the browser back connected, then the new channel is named', async () => {
    fakeApi({ ...signIn, 'GET /api/tweeter/channels': { body: { items: [{ ...mastodonChannel, id: 'c-new', status: 'active' }] } } });
    await signedIn();
    renderAt('/channels?connected=c-new');

    expect(await screen.findByText('Connected Ada on Mastodon.')).toBeTruthy();
  });

  it('when the OAuth callback reports an error, then it is explained', async () => {
    fakeApi({ ...signIn, 'GET /api/tweeter/channels': { body: { items: [] } } });
    await signedIn();
    renderAt('/channels?error=access_denied');

    expect((await screen.findByRole('alert')).textContent).toContain('You did not allow Trendcast to post on that Mastodon account.');
  });

  it('when a channel needs reconnection, then it says so and offers to reconnect; testing shows the outcome', async () => {
    fakeApi({
      ...signIn,
      'GET /api/tweeter/channels': { body: { items: [timelineChannel, mastodonChannel] } },
      'POST /api/tweeter/channels/c-timeline/test': { body: { ok: true, accountName: '@ada' } },
    });
    await signedIn();
    renderAt('/channels');

    const masto = (await screen.findByText('Ada on Mastodon')).closest('li')!;
    expect(within(masto).getByText('Needs reconnection')).toBeTruthy();
    await userEvent.click(within(masto).getByRole('button', { name: 'Reconnect' }));
    expect((within(masto).getByLabelText('Mastodon instance') as HTMLInputElement).value).toBe('https://mastodon.example');

    const timeline = screen.getByText('My timeline').closest('li')!;
    await userEvent.click(within(timeline).getByRole('button', { name: 'Test' }));
    expect(await within(timeline).findByText('Works: posting as @ada.')).toBeTruthy();
  });

  it('when removing a channel, then it is asked twice and disappears', async () => {
    const api = fakeApi({ ...signIn, 'GET /api/tweeter/channels': { body: { items: [timelineChannel] } }, 'DELETE /api/tweeter/channels/c-timeline': { status: 204 } });
    await signedIn();
    renderAt('/channels');

    await userEvent.click(await screen.findByRole('button', { name: 'Remove' }));
    await userEvent.click(screen.getByRole('button', { name: 'Remove the channel' }));

    expect(await screen.findByText(/No channels yet/)).toBeTruthy();
    expect(api.requests('DELETE', '/api/tweeter/channels/c-timeline')).toHaveLength(1);
  });
});

describe('posts', () => {
  it('when a post failed, then its reason and every attempt are shown', async () => {
    fakeApi({
      ...signIn,
      'GET /api/tweeter/channels': { body: { items: [timelineChannel] } },
      'GET /api/tweeter/posts/p-1': {
        body: post({
          status: 'failed',
          failureReason: 'Mastodon refused the access token',
          attempts: [
            { number: 1, startedAt: '2030-05-01T09:00:00.000Z', outcome: 'rate_limited', error: '429' },
            { number: 2, startedAt: '2030-05-01T09:01:00.000Z', outcome: 'auth_revoked', error: '401 invalid token' },
          ],
        }),
      },
    });
    await signedIn();
    renderAt('/posts/p-1');

    expect((await screen.findByRole('alert')).textContent).toContain('Could not be published: Mastodon refused the access token.');
    const rows = within(screen.getByRole('table', { name: 'Publishing attempts' })).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(rows[2]!.textContent).toContain('access to the account was revoked: 401 invalid token');
  });

  it('when a published post is listed, then its link opens the live post', async () => {
    fakeApi({
      ...signIn,
      'GET /api/tweeter/channels': { body: { items: [timelineChannel] } },
      'GET /api/tweeter/posts': { body: { items: [post({ status: 'published', publishedAt: '2030-05-01T09:00:05.000Z', url: 'http://gw.test/timeline/ada/p-1' })], nextCursor: null } },
    });
    await signedIn();
    renderAt('/posts');

    expect((await screen.findByRole('link', { name: 'Open the published post' })).getAttribute('href')).toBe('http://gw.test/timeline/ada/p-1');
    expect(screen.getByText(/My timeline · Published/)).toBeTruthy();
  });

  it('when a scheduled post is rescheduled or cancelled, then the API gets the new time or the cancellation', async () => {
    const api = fakeApi({
      ...signIn,
      'GET /api/tweeter/channels': { body: { items: [timelineChannel] } },
      'GET /api/tweeter/posts': { body: { items: [post()], nextCursor: null } },
      'PATCH /api/tweeter/posts/p-1': (request) => ({ body: post({ publishAt: (request.body as { publishAt: string }).publishAt }) }),
      'DELETE /api/tweeter/posts/p-1': { body: post({ status: 'cancelled' }) },
    });
    await signedIn();
    renderAt('/posts');

    await userEvent.click(await screen.findByRole('button', { name: 'Reschedule' }));
    const when = screen.getByLabelText('New time');
    await userEvent.clear(when);
    await userEvent.type(when, '2031-01-02T03:04');
    await userEvent.click(screen.getByRole('button', { name: 'Save time' }));
    await screen.findByRole('button', { name: 'Reschedule' });
    expect(api.requests('PATCH', '/api/tweeter/posts/p-1')[0]?.body).toEqual({ publishAt: new Date('2031-01-02T03:04').toISOString() });

    await userEvent.click(screen.getByRole('button', { name: 'Cancel post' }));
    await userEvent.click(screen.getByRole('button', { name: 'Cancel it' }));
    expect(await screen.findByText('Cancelled', { selector: '.badge' })).toBeTruthy();
  });
});

describe('public timeline', () => {
  it('when opened signed out, then published posts are listed without any token', async () => {
    const api = fakeApi({
      'GET /api/tweeter/timeline': { body: { items: [{ id: 't-1', handle: 'ada', text: 'Pizza!', publishedAt: '2030-05-01T09:00:05.000Z', url: null, sentiment: { label: 'positive' } }], nextCursor: null } },
    });
    signedOut();
    renderAt('/timeline');

    expect(await screen.findByText('Pizza!')).toBeTruthy();
    expect(screen.getByRole('link', { name: '@ada' }).getAttribute('href')).toBe('/timeline/ada');
    expect(api.requests('GET', '/api/tweeter/timeline')[0]?.headers.authorization).toBeUndefined();
  });
});
