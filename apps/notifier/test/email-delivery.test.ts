import { randomUUID } from 'node:crypto';
import { createEvent, defaultNotificationPreferences, type DomainEvent, type EventData, type EventType } from '@trendcast/events';
import { sampleEventData } from '@trendcast/events/samples';
import { createLogger, createMetrics } from '@trendcast/service-kit';
import { testEnv, uniqueName, waitFor, sleep } from '@trendcast/testing';
import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseMailFrom } from '../src/domain/addresses.js';
import { emailJobId } from '../src/workers/email-job.js';
import { EmailQueue } from '../src/workers/email-queue.js';
import { createMailTransport, type MailTransport } from '../src/integrations/smtp/mail-transport.js';
import { createNotifierMetrics, type NotifierMetrics } from '../src/metrics.js';
import { RecipientStore } from '../src/data/recipient-store.js';
import { createEmailWorker } from '../src/workers/email-worker.js';
import { startSmtpCapture, type SmtpCapture } from './support/smtp-capture.js';

const origin = { source: 'test', correlationId: 'delivery-test' };
const logger = createLogger({ service: 'notifier-test', level: 'silent' });

let smtp: SmtpCapture;
let redis: Redis;
let workerRedis: Redis;
let prefix: string;
let recipients: RecipientStore;
let queue: EmailQueue;
let transport: MailTransport;
let worker: Worker;
let metrics: NotifierMetrics;

function eventFor<T extends EventType>(type: T, data: Partial<EventData<T>> = {}): DomainEvent<T> {
  return createEvent(type, { ...sampleEventData[type], ...data } as EventData<T>, origin);
}

beforeAll(async () => {
  smtp = await startSmtpCapture();
  redis = new Redis(testEnv.redisUrl);
  workerRedis = new Redis(testEnv.redisUrl, { maxRetriesPerRequest: null });
});

beforeEach(async () => {
  smtp.mails.length = 0;
  smtp.acceptAgain();
  prefix = uniqueName('notifier_delivery');
  recipients = new RecipientStore(redis, `${prefix}:`);
  queue = new EmailQueue({ connection: redis, prefix, attempts: 8, backoffMs: 100, keepCompletedSeconds: 3600, keepFailedSeconds: 3600 });
  transport = createMailTransport(`${smtp.url}?connectionTimeout=2000&greetingTimeout=2000`);
  metrics = createNotifierMetrics(createMetrics('notifier-test', { defaultMetrics: false }).registry);
  worker = createEmailWorker({
    connection: workerRedis,
    prefix,
    concurrency: 5,
    logger,
    deps: {
      recipients,
      emails: queue,
      transport,
      from: parseMailFrom('Trendcast <no-reply@trendcast.test>'),
      templateContext: { productName: 'Trendcast', publicBaseUrl: 'https://trendcast.test' },
      metrics,
      maxEventAgeMs: 3600_000,
      now: Date.now,
    },
  });
  await worker.waitUntilReady();
});

afterEach(async () => {
  await worker.close();
  await queue.queue.obliterate({ force: true });
  await queue.close();
  transport.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
});

afterAll(async () => {
  await smtp.close();
  await redis.quit();
  await workerRedis.quit();
});

async function emailCount(template: string, outcome: string): Promise<number> {
  const { values } = await metrics.emails.get();
  return values.find((value) => value.labels.template === template && value.labels.outcome === outcome)?.value ?? 0;
}

const jobState = (event: DomainEvent, template: string) => queue.queue.getJobState(emailJobId(event.id, template));

describe('email delivery', () => {
  it('when the SMTP server is down for a while, then the mail arrives once it is back', async () => {
    await smtp.stop();
    const event = eventFor('users.password_reset.requested');

    await queue.enqueue('password-reset', event);
    await waitFor(async () => ((await queue.queue.getJob(emailJobId(event.id, 'password-reset')))?.attemptsMade ?? 0) >= 2, { what: 'two failed attempts' });
    await smtp.start();

    const [mail] = await smtp.waitForMails(1, 20_000);
    expect(mail!.envelope.to).toEqual(['ada@example.com']);
    expect(mail!.parsed!.subject).toBe('Reset your Trendcast password');
    await waitFor(async () => (await jobState(event, 'password-reset')) === 'completed', { what: 'job completed' });
  });

  it('when the SMTP server answers 451 for a while, then the mail goes through after it accepts again', async () => {
    smtp.refuseWith(451, 'Greylisted, try again later');
    const event = eventFor('users.password.changed');

    await queue.enqueue('password-changed', event);
    await waitFor(async () => ((await queue.queue.getJob(emailJobId(event.id, 'password-changed')))?.attemptsMade ?? 0) >= 2, { what: 'two refused attempts' });
    smtp.acceptAgain();

    const [mail] = await smtp.waitForMails(1, 20_000);
    expect(mail!.parsed!.subject).toBe('Your Trendcast password was changed');
    expect(await emailCount('password-changed', 'retried')).toBeGreaterThanOrEqual(2);
    expect(await emailCount('password-changed', 'failed')).toBe(0);
  });

  it('when the SMTP server refuses the mail for good (550), then the job fails at once and stays failed', async () => {
    smtp.refuseWith(550, 'No such user');
    const event = eventFor('users.email_verification.requested');

    await queue.enqueue('verify-email', event);

    await waitFor(async () => (await jobState(event, 'verify-email')) === 'failed', { what: 'job failed' });
    const job = await queue.queue.getJob(emailJobId(event.id, 'verify-email'));
    expect(job!.attemptsMade).toBe(1);
    expect(job!.failedReason).toContain('No such user');
    expect(await emailCount('verify-email', 'failed')).toBe(1);
    expect(await emailCount('verify-email', 'retried')).toBe(0);
  });

  it('when the same mail is queued twice, then it is sent once', async () => {
    const event = eventFor('users.user.registered');

    await queue.enqueue('welcome', event);
    await waitFor(async () => (await jobState(event, 'welcome')) === 'completed', { what: 'first job completed' });
    await queue.enqueue('welcome', event);
    await sleep(500);

    expect(smtp.mails).toHaveLength(1);
  });

  it('when a mail was sent, then its job keeps neither the address nor the content', async () => {
    const event = eventFor('users.user.registered');

    await queue.enqueue('welcome', event);
    await waitFor(async () => (await jobState(event, 'welcome')) === 'completed', { what: 'job completed' });

    const job = await queue.queue.getJob(emailJobId(event.id, 'welcome'));
    expect(JSON.stringify(job!.data)).not.toContain('ada@example.com');
    expect(job!.data).toMatchObject({ template: 'welcome', eventId: event.id, eventType: 'users.user.registered' });
  });

  it('when a display name carries "\\r\\nBcc:", then no header is injected and only the recipient gets the mail', async () => {
    const event = eventFor('users.user.registered', { displayName: 'Mallory\r\nBcc: evil@x.test\r\nSubject: hacked' });

    await queue.enqueue('welcome', event);

    const [mail] = await smtp.waitForMails(1);
    expect(mail!.envelope.to).toEqual(['ada@example.com']);
    expect(mail!.parsed!.headers.has('bcc')).toBe(false);
    expect(mail!.parsed!.subject).toBe('Welcome to Trendcast');
    const headerBlock = mail!.raw.split(/\r?\n\r?\n/, 1)[0]!;
    expect(headerBlock).not.toMatch(/^Bcc:/im);
    expect(headerBlock.match(/^Subject:/gim)).toHaveLength(1);
    expect(mail!.parsed!.to).toMatchObject({ value: [{ address: 'ada@example.com', name: 'Mallory Bcc: evil@x.test Subject: hacked' }] });
  });

  it('when the recipient is not known yet, then the job waits and sends once the user shows up', async () => {
    const event = eventFor('tweeter.post.published', { userId: randomUUID() });

    await queue.enqueue('post-published', event);
    await waitFor(async () => ((await queue.queue.getJob(emailJobId(event.id, 'post-published')))?.attemptsMade ?? 0) >= 2, { what: 'two waiting attempts' });
    expect(smtp.mails).toHaveLength(0);
    await recipients.upsert(
      { userId: event.data.userId, email: 'grace@example.com', displayName: 'Grace', preferences: defaultNotificationPreferences },
      { eventId: randomUUID(), occurredAt: new Date().toISOString() },
    );

    const [mail] = await smtp.waitForMails(1, 20_000);
    expect(mail!.envelope.to).toEqual(['grace@example.com']);
    expect(mail!.parsed!.subject).toBe('Your post is live on timeline');
  });

  it('when the user opted out of a kind, then that mail is skipped but a security mail still goes', async () => {
    const userId = randomUUID();
    await recipients.upsert(
      { userId, email: 'grace@example.com', displayName: 'Grace', preferences: { ...defaultNotificationPreferences, postFailed: false } },
      { eventId: randomUUID(), occurredAt: new Date().toISOString() },
    );
    const postFailed = eventFor('tweeter.post.failed', { userId });
    const reset = eventFor('users.password_reset.requested', { userId, email: 'grace@example.com' });

    await queue.enqueue('post-failed', postFailed);
    await queue.enqueue('password-reset', reset);

    await waitFor(async () => (await jobState(postFailed, 'post-failed')) === 'completed', { what: 'opted-out job completed' });
    const [mail] = await smtp.waitForMails(1);
    await sleep(200);
    expect(smtp.mails).toHaveLength(1);
    expect(mail!.parsed!.subject).toBe('Reset your Trendcast password');
    const skipped = await queue.queue.getJob(emailJobId(postFailed.id, 'post-failed'));
    expect(skipped!.returnvalue).toEqual({ outcome: 'skipped', reason: 'opted-out' });
  });

  it('when the user was deleted, then not even a security mail goes', async () => {
    const userId = randomUUID();
    await recipients.erase(userId, { eventId: randomUUID(), occurredAt: new Date().toISOString() });
    const reset = eventFor('users.password_reset.requested', { userId });

    await queue.enqueue('password-reset', reset);

    await waitFor(async () => (await jobState(reset, 'password-reset')) === 'completed', { what: 'job completed' });
    expect(smtp.mails).toHaveLength(0);
  });
});
