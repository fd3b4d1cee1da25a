import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { accessibilityProblems, launchBrowser, newContext, PageWatcher, screenshots } from '../support/browser.js';
import { linkTo } from '../support/mail-catcher.js';
import { serviceDefinitions } from '../support/services.js';
import { startStack, type Stack } from '../support/stack.js';
import { browserSteps } from '../support/steps.js';

/**
 * A person's journey through the web app, clicked as they would, against the real stack behind
 * NGINX: every service, with fakes only for Google Trends and Mastodon (thinker writes offline), mail
 * read from a real SMTP server.
 */
let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let watcher: PageWatcher;

const email = `ada.${Date.now().toString(36)}@example.org`;
const firstPassword = 'correct horse battery staple';
const secondPassword = 'a fresh and longer passphrase';
const handle = `ada${Date.now().toString(36)}`;
/** Edited into a draft: clearly negative, so approving it needs the explicit override. */
const negativeText = 'This pizza was awful, cold and disgusting. Terrible service, I hated every bite.';
const signedOutRefresh = { method: 'POST', path: '/api/users/sessions/browser/refresh', status: 401 };

beforeAll(async () => {
  const { users, trends, thinker, tweeter, notifier } = serviceDefinitions;
  stack = await startStack({ services: [users, trends, thinker, tweeter, notifier] });
  browser = await launchBrowser();
  context = await newContext(browser, stack.baseUrl);
  page = await context.newPage();
  watcher = new PageWatcher(page);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Every page the journey meets: no serious accessibility problem, and a screenshot at both widths. */
async function inspect(name: string) {
  expect(await accessibilityProblems(page), `${name}: accessibility`).toEqual([]);
  await screenshots(page, name);
}

async function heading(name: string | RegExp) {
  await page.getByRole('heading', { level: 1, name }).waitFor({ timeout: 15_000 });
}

const step = browserSteps({ watcher: () => watcher, logs: () => stack.logs() });

describe('the journey of a new person', () => {
  step('when someone signs up, then the page tells them to check their inbox', async () => {
    watcher.allow(signedOutRefresh);
    await page.goto('/');
    await heading('Sign in');
    await inspect('sign-in');
    await page.getByRole('link', { name: 'Sign up' }).first().click();
    await heading('Create your account');
    // Focus moved to the new page's heading, so keyboard users start there.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    await inspect('sign-up');

    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Your name').fill('Ada Lovelace');
    await page.getByLabel('Password').fill(firstPassword);
    await page.getByRole('button', { name: 'Create account' }).click();
    await heading('Check your inbox');
    await inspect('sign-up-done');
  });

  step('when the same address signs up again, then the error sits next to the email field', async () => {
    const second = await context.newPage();
    const secondWatcher = new PageWatcher(second);
    secondWatcher.allow(signedOutRefresh, { method: 'POST', path: '/api/users/register', status: 409 });
    await second.goto('/sign-up');
    await second.getByLabel('Email').fill(email);
    await second.getByLabel('Your name').fill('Someone');
    await second.getByLabel('Password').fill(firstPassword);
    await second.getByRole('button', { name: 'Create account' }).click();
    const field = second.getByLabel('Email');
    await second.getByText('An account with this email already exists.').waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await second.close();
    secondWatcher.check('second sign-up');
  });

  step('when the confirmation link from the email is opened, then the address is confirmed', async () => {
    const mail = await stack.mail.waitFor({ to: email, subject: /Confirm your email address/ });
    const link = linkTo(mail, '/verify-email');
    expect(link.origin).toBe(stack.baseUrl);
    watcher.allow(signedOutRefresh);
    await page.goto(link.toString());
    await heading('Email confirmed');
    await inspect('verify-email');
  });

  step('when the welcome email\'s link is followed signed out, then sign-in comes first and leads to the new search form (keyboard only)', async () => {
    const welcome = await stack.mail.waitFor({ to: email, subject: /Welcome to Trendcast/ });
    watcher.allow(signedOutRefresh);
    await page.goto(linkTo(welcome, '/searches/new').toString());
    await heading('Sign in');
    // Keyboard only: after the redirect the focus is on the page's heading; Tab goes on to the fields, Enter sends.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('email');
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(firstPassword);
    await page.keyboard.press('Enter');
    await heading('New search');
    await inspect('new-search');
  });

  step('when a search is made with drafts asked for, then the results page shows the chart, the regions and the related queries', async () => {
    await page.getByLabel('Keywords').fill('pizza');
    await page.getByLabel('Period').selectOption('past-12-months');
    await page.getByRole('checkbox', { name: 'Write post drafts from the results' }).check();
    await page.getByLabel('Tone').selectOption('witty');
    await page.getByRole('button', { name: 'Search' }).click();
    await heading('pizza');
    await page.getByRole('heading', { level: 2, name: 'Interest over time' }).waitFor({ timeout: 45_000 });
    await page.locator('.chart canvas').waitFor();
    await page.getByRole('table', { name: 'Interest by region, highest first' }).waitFor();
    expect(await page.getByRole('heading', { level: 2, name: 'Related queries' }).isVisible()).toBe(true);
    expect(await page.getByText(/You asked for 3 witty drafts/).isVisible()).toBe(true);
    await inspect('search-results');
  }, 90_000);

  step('when the searches list is opened, then the search is there as completed', async () => {
    await page.getByRole('link', { name: 'Searches', exact: true }).click();
    await heading('Searches');
    await page.getByRole('link', { name: 'pizza' }).waitFor();
    expect(await page.locator('.card').first().getByText('Completed').isVisible()).toBe(true);
    await inspect('searches');
  });

  step('when a watch is created, paused, resumed and deleted, then the list follows each change', async () => {
    await page.getByRole('link', { name: 'Watches', exact: true }).click();
    await heading('Watches');
    await page.getByText('No watches yet').waitFor();
    await page.getByLabel('Keywords').fill('bagel');
    await page.getByLabel('How often').selectOption('1d');
    await page.getByRole('button', { name: 'Create watch' }).click();
    const watch = page.locator('li.card', { hasText: 'bagel' });
    await watch.getByText('Active').waitFor();
    await inspect('watches');
    await watch.getByRole('button', { name: 'Pause' }).click();
    await watch.getByText('Paused', { exact: true }).waitFor();
    await watch.getByRole('button', { name: 'Resume' }).click();
    await watch.getByText('Active').waitFor();
    await watch.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Delete the watch' }).click();
    await page.getByText('No watches yet').waitFor();
  });

  step('when the notification settings link from the email is opened, then a preference is turned off and stays off', async () => {
    const welcome = await stack.mail.waitFor({ to: email, subject: /Welcome to Trendcast/ });
    await page.goto(linkTo(welcome, '/settings/notifications').toString());
    await heading('Notification settings');
    const published = page.getByRole('checkbox', { name: 'A post was published' });
    expect(await published.isChecked()).toBe(true);
    await published.uncheck();
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByText('Your notification preferences are saved.').waitFor();
    await inspect('notification-settings');
    // A reload starts from nothing but the httpOnly cookie: the session and the saved choice are back.
    await page.reload();
    await heading('Notification settings');
    expect(await page.getByRole('checkbox', { name: 'A post was published' }).isChecked()).toBe(false);
    expect(await page.getByRole('checkbox', { name: 'Drafts are ready' }).isChecked()).toBe(true);
  });

  step('when signed in, then no token is readable from storage or cookies by the page, and the refresh cookie is locked down', async () => {
    let accessToken = '';
    page.on('response', async (response) => {
      if (response.url().endsWith('/api/users/sessions/browser/refresh') && response.ok()) accessToken = ((await response.json()) as { accessToken: string }).accessToken;
    });
    await page.reload();
    await heading('Notification settings');
    await expect.poll(() => accessToken).not.toBe('');

    const stored = await page.evaluate(async () => ({
      local: Object.keys(localStorage).length,
      session: Object.keys(sessionStorage).length,
      cookie: document.cookie,
      indexedDb: (await indexedDB.databases()).map((db) => db.name),
      everything: JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie,
    }));
    expect(stored).toMatchObject({ local: 0, session: 0, cookie: '', indexedDb: [] });
    expect(stored.everything).not.toContain(accessToken);
    expect(stored.everything).not.toContain(accessToken.split('.')[1]);

    const cookies = await context.cookies();
    expect(cookies.map((cookie) => cookie.name)).toEqual(['trendcast_refresh']);
    expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/users/sessions/browser', secure: false });
  });

  step('when the settings page is opened, then it shows the account', async () => {
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await heading('Settings');
    await page.getByText(email).waitFor();
    await inspect('settings');
  });

  step('when a timeline channel is added and a Mastodon account connected through its OAuth pages, then both are listed and work', async () => {
    await page.getByRole('link', { name: 'Channels', exact: true }).click();
    await heading('Channels');
    await page.getByText('No channels yet').waitFor();
    await inspect('channels-empty');

    await page.getByLabel('Name', { exact: true }).fill('My timeline');
    await page.getByLabel('Handle').fill(handle);
    await page.getByRole('button', { name: 'Add timeline channel' }).click();
    const timeline = page.locator('li.card', { hasText: `@${handle}` });
    await timeline.waitFor();
    await timeline.getByRole('button', { name: 'Test' }).click();
    await timeline.getByRole('status').getByText(/^Works/).waitFor();

    // The instance's consent page approves at once and sends the browser back through the gateway.
    await page.getByLabel('Mastodon instance').fill(stack.mastodonOrigin);
    await page.getByLabel('Name in Trendcast').fill('Fake Mastodon');
    await page.getByRole('button', { name: 'Connect with Mastodon' }).click();
    await heading('Channels');
    await page.getByText('Connected Fake Mastodon.').waitFor();
    const mastodon = page.locator('li.card', { hasText: 'Fake Mastodon' });
    await mastodon.getByText(/Mastodon · .* on /).waitFor();
    expect(new URL(page.url()).pathname).toBe('/channels');
    await inspect('channels');
    await mastodon.getByRole('button', { name: 'Test' }).click();
    await mastodon.getByRole('status').getByText(/^Works/).waitFor();
    // No credential reaches the page.
    expect(await page.content()).not.toMatch(/access_token|accessToken|client_secret/);

    await mastodon.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('button', { name: 'Remove the channel' }).click();
    await mastodon.waitFor({ state: 'detached' });
  }, 90_000);

  step('when the drafts-ready mail is followed, then the search\'s drafts are there with their sentiment', async () => {
    const mail = await stack.mail.waitFor({ to: email, subject: /new drafts? (is|are) ready/, timeoutMs: 45_000 });
    await page.goto(linkTo(mail, '/drafts').toString());
    await heading('Drafts');
    await expect.poll(() => page.locator('article.draft').count(), { timeout: 15_000 }).toBe(3);
    expect(await page.locator('article.draft').first().locator('.char-count').textContent()).toMatch(/^\d+ of 500 characters/);
    await inspect('drafts');
  }, 60_000);

  step('when a draft is edited, then the count follows each keystroke and a too-long text cannot be saved', async () => {
    const draft = page.locator('article.draft').first();
    await draft.getByRole('button', { name: 'Edit' }).click();
    const text = draft.getByLabel('Text');
    await text.fill('x'.repeat(501));
    await draft.getByText('501 of 500 characters — 1 too many').waitFor();
    expect(await draft.getByRole('button', { name: 'Save text' }).isDisabled()).toBe(true);
    // A link counts 23 however long it is, as the network counts it.
    await text.fill(`Pizza night https://example.org/${'a'.repeat(80)}`);
    await draft.getByText('35 of 500 characters').waitFor();
    await text.fill(negativeText);
    await draft.getByRole('button', { name: 'Save text' }).click();
    await page.locator('article.draft', { hasText: negativeText }).getByText(/negative/i).first().waitFor();
  });

  step('when a negative draft is approved, then the override is asked for explicitly before it is scheduled', async () => {
    const draft = page.locator('article.draft', { hasText: negativeText });
    const override = draft.getByRole('checkbox', { name: 'Publish it although its tone reads negative' });
    await override.waitFor();
    expect(await override.isChecked()).toBe(false);
    await override.check();
    await draft.getByRole('button', { name: 'Approve' }).click();
    await draft.getByText(/^(Scheduled for|Published)/).waitFor();

    const other = page.locator('article.draft', { hasNotText: negativeText }).first();
    await other.getByRole('button', { name: 'Reject' }).click();
    await expect.poll(() => page.locator('article.draft').filter({ hasText: 'Rejected' }).count()).toBe(1);
  });

  step('when the post goes out, then the posts page shows it published with its link, and the public timeline shows it', async () => {
    await page.getByRole('link', { name: 'Posts', exact: true }).click();
    await heading('Posts');
    await expect
      .poll(async () => {
        await page.reload();
        await heading('Posts');
        return page.locator('.card', { hasText: negativeText }).getByText('Published').count();
      }, { timeout: 30_000, interval: 1_000 })
      .toBeGreaterThan(0);
    await inspect('posts');

    await page.getByRole('link', { name: 'Timeline', exact: true }).click();
    await heading('Timeline');
    await page.getByText(negativeText).waitFor();
    await page.getByRole('link', { name: `@${handle}` }).first().click();
    await heading(`@${handle}`);
    await page.getByText(negativeText).waitFor();
    await inspect('timeline');
  }, 60_000);

  step('when an address that is no page is opened, then the app says so', async () => {
    await page.goto('/no-such-page');
    await heading('Page not found');
    await inspect('not-found');
    // On a fresh page the first Tab reaches the skip link, which takes the focus past the navigation.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
  });

  step('when signing out, then the session ends on the server and the page is back to sign-in', async () => {
    await page.goto('/searches');
    await heading('Searches');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await heading('Sign in');
    await page.getByText('You are signed out.').waitFor();
    expect(await context.cookies()).toEqual([]);
    // The old cookie is gone and the server revoked it: a fresh load is signed out.
    watcher.allow(signedOutRefresh);
    await page.goto('/searches');
    await heading('Sign in');
  });

  step('when the password is forgotten, then the emailed link lets them choose a new one and sign in with it', async () => {
    watcher.allow(signedOutRefresh);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await heading('Reset your password');
    await inspect('forgot-password');
    const before = stack.mail.mails.length;
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByText(/we sent it a link/).waitFor();

    const mail = await stack.mail.waitFor({ to: email, subject: /Reset your Trendcast password/, after: before });
    await page.goto(linkTo(mail, '/reset-password').toString());
    await heading('Choose a new password');
    await inspect('reset-password');
    await page.getByLabel('New password', { exact: true }).fill(secondPassword);
    await page.getByLabel('New password, again').fill(secondPassword);
    await page.getByRole('button', { name: 'Save the new password' }).click();
    await heading('Sign in');
    await page.getByText('Your password is changed. Sign in with the new one.').waitFor();

    watcher.allow({ method: 'POST', path: '/api/users/sessions/browser', status: 401 });
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(firstPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('Email or password is incorrect.').waitFor();
    await page.getByLabel('Password').fill(secondPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading('Searches');

    const changed = await stack.mail.waitFor({ to: email, subject: /password was changed/ });
    expect(linkTo(changed, '/forgot-password').origin).toBe(stack.baseUrl);
  }, 90_000);

  step('when the account is deleted, then the person is signed out and can no longer sign in', async () => {
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await heading('Settings');
    await page.getByLabel('Your password').fill(secondPassword);
    await page.getByRole('checkbox', { name: 'I understand that this cannot be undone' }).check();
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await heading('Sign in');
    await page.getByText('Your account and everything in it are deleted.').waitFor();

    watcher.allow({ method: 'POST', path: '/api/users/sessions/browser', status: 401 });
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(secondPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('Email or password is incorrect.').waitFor();
  });
});
