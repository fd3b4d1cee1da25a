import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { account, apiError, browserSession, fakeApi } from './support/fake-api.js';
import { renderAt, signedIn, signedOut } from './support/render.js';

afterEach(() => signedOut());

const signInRoute = { 'POST /api/users/sessions/browser': { body: browserSession() } };

/**
 * Every link the notifier's emails carry (apps/notifier/src/templates/links.ts plus the users
 * service's verify and reset URLs) opens the page that does what the email says.
 */
describe('links in emails', () => {
  it('when the confirmation link is opened, then the address is confirmed at once and the page says so', async () => {
    const api = fakeApi({ 'POST /api/users/verify-email': { status: 204 } });
    signedOut();

    renderAt('/verify-email?token=tok_abcdefghijklmnop');

    expect(await screen.findByRole('heading', { level: 1, name: 'Email confirmed' })).toBeTruthy();
    expect(api.requests('POST', '/api/users/verify-email').map((r) => r.body)).toEqual([{ token: 'tok_abcdefghijklmnop' }]);
    expect(screen.getByRole('link', { name: /sign in to start your first search/i }).getAttribute('href')).toBe('/sign-in?next=%2Fsearches%2Fnew');
  });

  it('when a used confirmation link is opened, then the reason is shown with a way to get a new link', async () => {
    const api = fakeApi({
      'POST /api/users/verify-email': apiError(400, 'TOKEN_INVALID', 'The link is invalid or has already been used'),
      'POST /api/users/verify-email/resend': { status: 202 },
    });
    signedOut();
    renderAt('/verify-email?token=tok_usedusedusedused');

    expect((await screen.findByRole('alert')).textContent).toContain('The link is invalid or has already been used.');
    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.org');
    await userEvent.click(screen.getByRole('button', { name: 'Send a new link' }));

    expect(await screen.findByText(/a new link is on its way/)).toBeTruthy();
    expect(api.requests('POST', '/api/users/verify-email/resend')[0]?.body).toEqual({ email: 'ada@example.org' });
  });

  it('when the reset link is opened, then a new password can be chosen and the person is sent to sign in', async () => {
    const api = fakeApi({ 'POST /api/users/password/reset': [apiError(400, 'WEAK_PASSWORD', 'weak', { problems: ['too_few_distinct_characters'] }), { status: 204 }] });
    signedOut();
    renderAt('/reset-password?token=tok_resetresetreset');

    await userEvent.type(await screen.findByLabelText('New password'), 'aaaaaaaaaaaa');
    await userEvent.type(screen.getByLabelText('New password, again'), 'aaaaaaaaaaaa');
    await userEvent.click(screen.getByRole('button', { name: 'Save the new password' }));
    expect(await screen.findByText('Choose a stronger password: use at least 5 different characters.')).toBeTruthy();

    await userEvent.clear(screen.getByLabelText('New password'));
    await userEvent.clear(screen.getByLabelText('New password, again'));
    await userEvent.type(screen.getByLabelText('New password'), 'a much longer passphrase');
    await userEvent.type(screen.getByLabelText('New password, again'), 'a much longer passphrase');
    await userEvent.click(screen.getByRole('button', { name: 'Save the new password' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeTruthy();
    expect(screen.getByText('Your password is changed. Sign in with the new one.')).toBeTruthy();
    expect(api.requests('POST', '/api/users/password/reset').at(-1)?.body).toEqual({ token: 'tok_resetresetreset', newPassword: 'a much longer passphrase' });
  });

  it('when the welcome link (/searches/new) is opened signed out, then sign-in comes first and leads back to the new search form', async () => {
    fakeApi({ ...signInRoute });
    signedOut();
    renderAt('/searches/new');

    await userEvent.type(await screen.findByLabelText('Email'), 'ada@example.org');
    await userEvent.type(screen.getByLabelText('Password'), 'correct horse battery staple');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'New search' })).toBeTruthy();
    expect(screen.getByLabelText('Keywords')).toBeTruthy();
  });

  it('when the unsubscribe link (/settings/notifications) is opened, then a preference can be turned off and saved', async () => {
    const api = fakeApi({
      ...signInRoute,
      'GET /api/users/me': { body: account },
      'PATCH /api/users/me': (request) => ({
        body: { ...account, notificationPreferences: { ...account.notificationPreferences, ...(request.body as { notificationPreferences: object }).notificationPreferences } },
      }),
    });
    await signedIn();
    renderAt('/settings/notifications');

    const box = await screen.findByRole('checkbox', { name: 'A post was published' });
    expect((box as HTMLInputElement).checked).toBe(true);
    await userEvent.click(box);
    await userEvent.click(screen.getByRole('button', { name: 'Save preferences' }));

    expect(await screen.findByText('Your notification preferences are saved.')).toBeTruthy();
    expect(api.requests('PATCH', '/api/users/me')[0]?.body).toEqual({
      notificationPreferences: { ...account.notificationPreferences, postPublished: false },
    });
  });

  it('when the "password changed, not me" link (/forgot-password) is opened, then it asks for the email to reset', async () => {
    const api = fakeApi({ 'POST /api/users/password/forgot': { status: 202 } });
    signedOut();
    renderAt('/forgot-password');

    await userEvent.type(await screen.findByLabelText('Email'), 'ada@example.org');
    await userEvent.click(screen.getByRole('button', { name: 'Send the link' }));

    expect(await screen.findByText(/we sent it a link to choose a new password/)).toBeTruthy();
    expect(api.requests('POST', '/api/users/password/forgot')[0]?.body).toEqual({ email: 'ada@example.org' });
  });

  it.each([
    ['/searches/s-1', 'GET /api/trends/searches/s-1', 'the search-failed email'],
    ['/drafts?generation=g-1', 'GET /api/thinker/generations/g-1', 'the drafts-ready email'],
    ['/generations/g-1', 'GET /api/thinker/generations/g-1', 'the generation-failed email'],
    ['/posts/p-1', 'GET /api/tweeter/posts/p-1', 'the post published / failed emails'],
  ])('when %s is opened (%s), then the page asks for exactly that item', async (path, expected) => {
    const api = fakeApi({ ...signInRoute });
    await signedIn();
    renderAt(path);

    await waitFor(() => expect(api.unexpected).toContain(expected.replace(/^(\w+) /, '$1 ')));
    // The item does not exist in this fake: the page says so next to where it would be.
    expect((await screen.findByRole('alert')).textContent).toMatch(/Could not load/);
  });
});
