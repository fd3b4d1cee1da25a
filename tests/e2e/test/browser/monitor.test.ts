import { join } from 'node:path';
import { consumerQueueName, deadLetterQueueName, exchangeForType } from '@trendcast/messaging';
import { testEnv, waitFor } from '@trendcast/testing';
import amqp from 'amqplib';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { accessibilityProblems, launchBrowser, newContext, PageWatcher, screenshots } from '../support/browser.js';
import { linkTo } from '../support/mail-catcher.js';
import { repoRoot } from '../support/repo.js';
import { serviceDefinitions, stackAdmin } from '../support/services.js';
import { startStack, type Stack } from '../support/stack.js';
import { browserSteps } from '../support/steps.js';

/**
 * An operator at the console, in a real browser against the whole stack behind NGINX: users (with
 * its bootstrap admin), trends and notifier, whose queues exist, and the monitor at /admin/queues.
 * A job fails for real in a queue of this run (a worker that throws) and an event is dead-lettered
 * for real (a malformed one published to notifier's queue).
 */
let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let watcher: PageWatcher;
let redis: Redis;
let reports: Queue;
let worker: Worker;
let failingJobId: string;
let deadLetterQueue: string;
/** The job fails until the operator has fixed the cause. */
let templateInstalled = false;

const screenshotDir = join(repoRoot, 'apps/monitor/.local/screenshots');
const member = { email: `casey.${Date.now().toString(36)}@example.org`, password: 'quartz lantern drifts over oslo' };
const signedOutSessionCheck = { method: 'POST', path: '/admin/queues/session', status: 403 };

beforeAll(async () => {
  stack = await startStack({ services: [serviceDefinitions.users, serviceDefinitions.trends, serviceDefinitions.notifier, serviceDefinitions.monitor] });

  // A report job that fails for real: its worker throws until the template is installed.
  redis = new Redis(testEnv.redisUrl, { maxRetriesPerRequest: null });
  const prefix = `${stack.namespace}_bull`;
  reports = new Queue('e2e.reports', { connection: redis, prefix });
  worker = new Worker(
    'e2e.reports',
    async () => {
      if (!templateInstalled) throw new Error('the report template is missing');
      return { rendered: true };
    },
    { connection: redis, prefix },
  );
  const failed = new Promise<void>((resolve) => worker.once('failed', () => resolve()));
  failingJobId = (await reports.add('render-report', { reportId: 7 }, { attempts: 1 })).id!;
  await failed;

  // A malformed event on users' exchange: notifier cannot parse it and dead-letters it at once.
  const queue = consumerQueueName('notifier', 'users', stack.namespace);
  deadLetterQueue = deadLetterQueueName(queue);
  const connection = await amqp.connect(testEnv.rabbitUrl);
  try {
    const channel = await connection.createConfirmChannel();
    const body = { id: '0c0ffee0-0000-4000-8000-000000000001', type: 'users.user.registered', version: 1, occurredAt: new Date().toISOString(), source: 'users', correlationId: 'e2e-monitor', data: { userId: 'not-a-uuid', email: '<b>mallory</b>' } };
    channel.publish(exchangeForType('users.user.registered', stack.namespace), 'users.user.registered', Buffer.from(JSON.stringify(body)), {
      persistent: true,
      type: 'users.user.registered',
      messageId: body.id,
      correlationId: body.correlationId,
      contentType: 'application/json',
    });
    await channel.waitForConfirms();
    await waitFor(async () => (await channel.checkQueue(deadLetterQueue)).messageCount === 1, { timeoutMs: 15_000, what: 'the malformed event dead-lettered' });
  } finally {
    await connection.close();
  }

  // A person who is no admin, with a confirmed account.
  const registered = await fetch(`${stack.baseUrl}/api/users/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...member, displayName: 'Casey' }),
  });
  expect(registered.status, await registered.clone().text()).toBe(201);
  const mail = await stack.mail.waitFor({ to: member.email, subject: /Confirm your email address/ });
  const token = linkTo(mail, '/verify-email').searchParams.get('token');
  const verified = await fetch(`${stack.baseUrl}/api/users/verify-email`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
  expect(verified.status).toBe(204);

  browser = await launchBrowser();
  context = await newContext(browser, stack.baseUrl);
  page = await context.newPage();
  watcher = new PageWatcher(page);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await worker?.close();
  await reports?.close();
  redis?.disconnect();
  await stack?.stop();
});

/** The monitor's own pages: no serious accessibility problem, and a screenshot at both widths. */
async function inspect(name: string) {
  expect(await accessibilityProblems(page), `${name}: accessibility`).toEqual([]);
  await screenshots(page, name, { dir: screenshotDir });
}

async function heading(name: string | RegExp) {
  await page.getByRole('heading', { level: 1, name }).waitFor({ timeout: 15_000 });
}

const step = browserSteps({ watcher: () => watcher, logs: () => stack.logs() });

async function signIn(on: Page, who: { email: string; password: string }) {
  await on.getByLabel('Email').fill(who.email);
  await on.getByLabel('Password').fill(who.password);
  await on.getByRole('button', { name: 'Sign in' }).click();
}

describe('the operators’ console', () => {
  step('when a signed-out visitor opens /admin/queues, then the sign-in page comes instead, and shows no queue', async () => {
    await page.goto('/admin/queues');
    await heading('Sign in');
    expect(new URL(page.url()).pathname).toBe('/admin/queues/sign-in');
    const text = await page.locator('body').innerText();
    expect(text).not.toContain('e2e.reports');
    expect(text).not.toContain('notifier.email');
    await inspect('console-sign-in');
  });

  step('when someone who is no admin signs in, then they are refused and still see no queue', async () => {
    const other = await browser.newContext({ baseURL: stack.baseUrl });
    const visitor = await other.newPage();
    const visitorWatcher = new PageWatcher(visitor);
    try {
      visitorWatcher.allow(signedOutSessionCheck);
      await visitor.goto('/admin/queues/sign-in');
      await signIn(visitor, member);
      await visitor.getByRole('alert').filter({ hasText: 'not an administrator' }).waitFor();
      expect(new URL(visitor.url()).pathname).toBe('/admin/queues/sign-in');
      expect(await other.cookies()).toEqual([]);
      await screenshots(visitor, 'console-refused', { dir: screenshotDir });

      await visitor.goto('/admin/queues/queue/e2e.reports');
      expect(new URL(visitor.url()).pathname).toBe('/admin/queues/sign-in');
      expect(await visitor.locator('body').innerText()).not.toContain('e2e.reports');
      visitorWatcher.check('the refused visitor');
    } finally {
      await other.close();
    }
  });

  step('when the admin signs in, then Bull Board lists the queues of every service and the failed job', async () => {
    await signIn(page, stackAdmin);
    await page.waitForURL((url) => url.pathname === '/admin/queues');
    for (const queue of ['e2e.reports', 'notifier.email', 'trends.search']) await page.getByText(queue, { exact: true }).first().waitFor({ timeout: 15_000 });
    const cookies = await context.cookies();
    expect(cookies.map((cookie) => ({ name: cookie.name, httpOnly: cookie.httpOnly, sameSite: cookie.sameSite, path: cookie.path }))).toEqual([
      { name: 'trendcast_console', httpOnly: true, sameSite: 'Strict', path: '/admin/queues' },
    ]);
    await screenshots(page, 'console-board', { dir: screenshotDir, checkOverflow: false });

    await page.goto('/admin/queues/queue/e2e.reports?status=failed');
    await page.getByText('the report template is missing').first().waitFor({ timeout: 15_000 });
    await screenshots(page, 'console-failed-job', { dir: screenshotDir, checkOverflow: false });
  });

  step('when the admin retries the failed job after fixing its cause, then it runs again and completes', async () => {
    templateInstalled = true;
    const retry = page.locator('[class*="jobActions"] button:has(svg.lucide-refresh-cw)');
    await retry.hover();
    await page.getByText('Retry', { exact: true }).waitFor();
    await retry.click();
    await page.getByText('Are you sure that you want to retry this job?').waitFor();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await waitFor(async () => (await reports.getJobState(failingJobId)) === 'completed', { timeoutMs: 15_000, what: 'the retried job to complete' });

    await page.goto('/admin/queues/queue/e2e.reports?status=completed');
    await page.getByText('render-report').first().waitFor({ timeout: 15_000 });
    await screenshots(page, 'console-completed-job', { dir: screenshotDir, checkOverflow: false });
  });

  step('when the admin opens the dead letters, then notifier’s dead-letter queue shows the malformed event, escaped', async () => {
    // Bull Board's account menu links to the dead letters.
    await page.locator('button[aria-haspopup="menu"]:has(svg.lucide-circle-user)').click();
    await page.getByRole('menuitem', { name: 'Dead letters' }).click();
    await heading('Dead letters and parked events');
    const row = page.getByRole('row').filter({ hasText: deadLetterQueue });
    await row.getByRole('cell').filter({ hasText: /^1$/ }).waitFor();
    await inspect('console-dead-letters');

    await row.getByRole('link', { name: deadLetterQueue }).click();
    await heading(deadLetterQueue);
    const message = page.getByRole('article');
    await message.getByText('unparseable', { exact: true }).waitFor();
    expect(await message.getByRole('heading', { level: 2 }).innerText()).toBe('users.user.registered');
    // The body's markup is shown as text, never rendered.
    expect(await message.locator('pre').innerText()).toContain('"email": "<b>mallory</b>"');
    expect(await message.locator('b').count()).toBe(0);
    await inspect('console-dead-letter');
  });

  step('when the admin replays it, then it goes back to notifier, which dead-letters it again (it still does not parse), marked as replayed', async () => {
    const parkedBefore = await page.getByRole('article').locator('dt:text-is("Parked at") + dd').innerText();

    await page.getByRole('button', { name: /^Replay all/ }).click();

    await page.getByRole('status').filter({ hasText: '1 message was replayed.' }).waitFor();
    await waitFor(
      async () => {
        await page.reload();
        const parked = page.getByRole('article').locator('dt:text-is("Parked at") + dd');
        const replayed = page.getByRole('article').locator('dt:text-is("Replayed before at") + dd');
        return (await parked.count()) === 1 && (await parked.innerText()) !== parkedBefore && (await replayed.count()) === 1;
      },
      { timeoutMs: 15_000, intervalMs: 300, what: 'the replayed event to come back through notifier' },
    );
    await screenshots(page, 'console-dead-letter-replayed', { dir: screenshotDir });
  });

  step('when the admin signs out, then the console is closed to that browser', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await heading('Sign in');
    await page.getByText('You are signed out.').waitFor();

    await page.goto('/admin/queues/dead-letters');
    expect(new URL(page.url()).pathname).toBe('/admin/queues/sign-in');
  });
});
