import { randomUUID } from 'node:crypto';
import { createEvent, defaultNotificationPreferences, type EventData, type EventType } from '@trendcast/events';
import { sampleEventData } from '@trendcast/events/samples';
import { deadLetterQueueName, queueStats, withChannel } from '@trendcast/messaging';
import { sleep, waitFor } from '@trendcast/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emailJobId } from '../src/workers/email-job.js';
import { startNotifier, type NotifierHarness } from './support/service.js';
import { startSmtpCapture, type CapturedMail, type SmtpCapture } from './support/smtp-capture.js';

let smtp: SmtpCapture;
let h: NotifierHarness;

beforeAll(async () => {
  smtp = await startSmtpCapture();
  h = await startNotifier({ smtpUrl: `${smtp.url}?pool=true&connectionTimeout=2000&greetingTimeout=2000` });
});

afterAll(async () => {
  await h?.close();
  await smtp?.close();
});

beforeEach(() => {
  smtp.mails.length = 0;
  smtp.acceptAgain();
});

/** A new person, known to the notifier through their registration, like every real user. */
async function registerUser(overrides: Partial<EventData<'users.user.registered'>> = {}) {
  const userId = randomUUID();
  const email = `${userId.slice(0, 8)}@example.com`;
  const registered = await h.publish('users.user.registered', {
    userId,
    email,
    displayName: 'Ada',
    notificationPreferences: defaultNotificationPreferences,
    ...overrides,
  });
  return { userId, email: overrides.email ?? email, registered };
}

const headerBlock = (mail: CapturedMail) => mail.raw.split(/\r?\n\r?\n/, 1)[0]!;
const mailTo = (address: string) => smtp.mails.filter((mail) => mail.envelope.to.includes(address));

async function mailsFor(address: string, count: number): Promise<CapturedMail[]> {
  return waitFor(() => mailTo(address).length >= count && mailTo(address), { timeoutMs: 20_000, what: `${count} mails to ${address}` });
}

interface Expectation {
  type: EventType;
  data: (userId: string, email: string) => EventData<EventType>;
  subject: string;
  link: string;
}

const expectations: Expectation[] = [
  {
    type: 'users.email_verification.requested',
    data: (userId, email) => ({ ...sampleEventData['users.email_verification.requested'], userId, email, verifyUrl: 'https://trendcast.test/verify-email?token=v1' }),
    subject: 'Confirm your email address for Trendcast',
    link: 'https://trendcast.test/verify-email?token=v1',
  },
  {
    type: 'users.password_reset.requested',
    data: (userId, email) => ({ ...sampleEventData['users.password_reset.requested'], userId, email, resetUrl: 'https://trendcast.test/reset-password?token=r1' }),
    subject: 'Reset your Trendcast password',
    link: 'https://trendcast.test/reset-password?token=r1',
  },
  {
    type: 'users.password.changed',
    data: (userId, email) => ({ ...sampleEventData['users.password.changed'], userId, email }),
    subject: 'Your Trendcast password was changed',
    link: 'https://trendcast.test/forgot-password',
  },
  {
    type: 'trends.search.failed',
    data: (userId) => ({ ...sampleEventData['trends.search.failed'], userId }),
    subject: 'Your trend search for “pizza” failed',
    link: `https://trendcast.test/searches/${sampleEventData['trends.search.failed'].searchId}`,
  },
  {
    type: 'thinker.drafts.generated',
    data: (userId) => ({ ...sampleEventData['thinker.drafts.generated'], userId }),
    subject: 'Your new draft is ready to review',
    link: `https://trendcast.test/drafts?generation=${sampleEventData['thinker.drafts.generated'].generationId}`,
  },
  {
    type: 'thinker.generation.failed',
    data: (userId) => ({ ...sampleEventData['thinker.generation.failed'], userId }),
    subject: 'We could not write your drafts',
    link: `https://trendcast.test/generations/${sampleEventData['thinker.generation.failed'].generationId}`,
  },
  {
    type: 'tweeter.post.published',
    data: (userId) => ({ ...sampleEventData['tweeter.post.published'], userId }),
    subject: 'Your post is live on timeline',
    link: `https://trendcast.test/posts/${sampleEventData['tweeter.post.published'].postId}`,
  },
  {
    type: 'tweeter.post.failed',
    data: (userId) => ({ ...sampleEventData['tweeter.post.failed'], userId }),
    subject: 'Your post to mastodon could not be published',
    link: `https://trendcast.test/posts/${sampleEventData['tweeter.post.failed'].postId}`,
  },
  {
    type: 'tweeter.channel.reconnection_needed',
    data: (userId) => ({ ...sampleEventData['tweeter.channel.reconnection_needed'], userId }),
    subject: 'Reconnect My Mastodon to keep publishing',
    link: 'https://trendcast.test/channels',
  },
];

function expectMail(mail: CapturedMail, o: { to: string; subject: string; link: string }) {
  expect(mail.envelope.to).toEqual([o.to]);
  expect(mail.parsed!.to).toMatchObject({ value: [{ address: o.to }] });
  expect(mail.parsed!.from).toMatchObject({ value: [{ address: 'no-reply@trendcast.test', name: 'Trendcast' }] });
  expect(mail.parsed!.subject).toBe(o.subject);
  expect(mail.parsed!.text).toContain(o.link);
  expect(mail.parsed!.html).toContain(`href="${o.link.replaceAll('&', '&amp;')}"`);
}

describe('notifier: events in, mails out', () => {
  it('when a user registers, then they get a welcome mail with text and HTML parts', async () => {
    const { email } = await registerUser({ displayName: 'Ada Lovelace' });

    const [welcome] = await mailsFor(email, 1);

    expectMail(welcome!, { to: email, subject: 'Welcome to Trendcast', link: 'https://trendcast.test/searches/new' });
    expect(welcome!.parsed!.to).toMatchObject({ value: [{ name: 'Ada Lovelace' }] });
    expect(welcome!.parsed!.text).toContain('Hi Ada Lovelace,');
  });

  it.each(expectations.map((e) => [e.type, e] as const))('when %s is published, then the user gets the right mail', async (_type, expectation) => {
    const { userId, email } = await registerUser();
    await mailsFor(email, 1);

    await h.publish(expectation.type, expectation.data(userId, email));

    const mails = await mailsFor(email, 2);
    expectMail(mails[1]!, { to: email, subject: expectation.subject, link: expectation.link });
  });

  it('when a non-security mail is sent, then it carries the unsubscribe note and List-Unsubscribe header; security mail does not', async () => {
    const { userId, email } = await registerUser();
    await h.publish('tweeter.post.failed', { ...sampleEventData['tweeter.post.failed'], userId });
    await h.publish('users.password.changed', { ...sampleEventData['users.password.changed'], userId, email });

    const mails = await mailsFor(email, 3);

    const postFailed = mails.find((mail) => mail.parsed!.subject?.startsWith('Your post to'))!;
    const changed = mails.find((mail) => mail.parsed!.subject === 'Your Trendcast password was changed')!;
    expect(postFailed.parsed!.text).toContain('To stop them, change your notification settings: https://trendcast.test/settings/notifications');
    expect(headerBlock(postFailed)).toMatch(/^List-Unsubscribe: <https:\/\/trendcast\.test\/settings\/notifications>$/m);
    expect(changed.parsed!.text).not.toContain('settings/notifications');
    expect(headerBlock(changed)).not.toMatch(/^List-Unsubscribe:/im);
  });

  it('when the same event is delivered twice, then one mail is sent', async () => {
    const { userId, email } = await registerUser();
    await mailsFor(email, 1);
    const event = await h.publish('thinker.drafts.generated', { ...sampleEventData['thinker.drafts.generated'], userId });

    await h.publisher.publish(event);
    await h.publisher.publish(event);

    await mailsFor(email, 2);
    await waitFor(async () => (await h.notifier.emailQueue.queue.getJobState(emailJobId(event.id, 'drafts-ready'))) === 'completed');
    await sleep(500);
    expect(mailTo(email)).toHaveLength(2);
  });

  it('when the SMTP server is down for a while, then the mail arrives after it is back', async () => {
    const { userId, email } = await registerUser();
    await mailsFor(email, 1);
    await smtp.stop();

    const event = await h.publish('trends.search.failed', { ...sampleEventData['trends.search.failed'], userId });
    await waitFor(async () => ((await h.notifier.emailQueue.queue.getJob(emailJobId(event.id, 'search-failed')))?.attemptsMade ?? 0) >= 2, {
      what: 'failed attempts while the server is down',
    });
    await smtp.start();

    const mails = await mailsFor(email, 2);
    expect(mails[1]!.parsed!.subject).toBe('Your trend search for “pizza” failed');
  });

  it('when the user opted out of a kind, then that kind is not mailed but a security mail still is', async () => {
    const { userId, email } = await registerUser();
    await mailsFor(email, 1);
    await h.publish('users.user.updated', {
      userId,
      email,
      displayName: 'Ada',
      notificationPreferences: { ...defaultNotificationPreferences, draftsReady: false },
    });
    await waitFor(async () => {
      const lookup = await h.notifier.recipients.lookup(userId);
      return lookup.status === 'known' && !lookup.recipient.preferences.draftsReady;
    }, { what: 'preferences updated' });

    const drafts = await h.publish('thinker.drafts.generated', { ...sampleEventData['thinker.drafts.generated'], userId });
    await h.publish('users.password_reset.requested', { ...sampleEventData['users.password_reset.requested'], userId, email });

    const mails = await mailsFor(email, 2);
    await waitFor(async () => (await h.notifier.emailQueue.queue.getJobState(emailJobId(drafts.id, 'drafts-ready'))) === 'completed');
    await sleep(300);
    expect(mailTo(email)).toHaveLength(2);
    expect(mails[1]!.parsed!.subject).toBe('Reset your Trendcast password');
  });

  it('when a user is deleted, then their projection is erased and later events mail nothing', async () => {
    const { userId, email } = await registerUser();
    await mailsFor(email, 1);

    await h.publish('users.user.deleted', { userId });
    await waitFor(async () => (await h.notifier.recipients.lookup(userId)).status === 'deleted', { what: 'projection erased' });
    const late = await h.publish('tweeter.post.published', { ...sampleEventData['tweeter.post.published'], userId });

    await waitFor(async () => (await h.notifier.emailQueue.queue.getJobState(emailJobId(late.id, 'post-published'))) === 'completed');
    expect(mailTo(email)).toHaveLength(1);
  });

  it('when an activity event overtakes the registration, then the mail still reaches the user', async () => {
    const userId = randomUUID();
    const email = `${userId.slice(0, 8)}@example.com`;

    await h.publish('tweeter.post.published', { ...sampleEventData['tweeter.post.published'], userId });
    await sleep(300);
    await h.publish('users.user.registered', { userId, email, displayName: 'Late', notificationPreferences: defaultNotificationPreferences });

    const mails = await mailsFor(email, 2);
    expect(mails.map((mail) => mail.parsed!.subject).sort()).toEqual(['Welcome to Trendcast', 'Your post is live on timeline']);
  });

  it('when a malformed event arrives, then it goes to the dead-letter queue and the notifier keeps working', async () => {
    const exchange = `${h.config.RABBITMQ_NAMESPACE}.users.events`;
    const queue = h.notifier.consumer.queues().find((q) => q.producer === 'users')!.queue;
    const malformed = { id: randomUUID(), type: 'users.user.registered', version: 1, occurredAt: new Date().toISOString(), source: 'users', correlationId: 'x', data: { userId: 'not-a-uuid' } };

    await withChannel(h.rabbit, async (channel) => {
      channel.publish(exchange, 'users.user.registered', Buffer.from(JSON.stringify(malformed)), { persistent: true, messageId: malformed.id });
      channel.publish(exchange, 'users.user.registered', Buffer.from('{not json'), { persistent: true });
      await channel.waitForConfirms();
    });

    await waitFor(async () => (await queueStats(h.rabbit, deadLetterQueueName(queue))).messageCount === 2, { what: 'two dead letters' });
    const { email } = await registerUser();
    await mailsFor(email, 1);
  });
});

describe('notifier: stale events', () => {
  async function ackedCount(type: EventType): Promise<number> {
    const { values } = await h.notifier.metrics.eventsConsumed.get();
    return values.find((value) => value.labels.type === type && value.labels.outcome === 'acked')?.value ?? 0;
  }

  it('when an event is older than the dedupe window, then it is acknowledged without a mail', async () => {
    const { userId, email } = await registerUser();
    await mailsFor(email, 1);
    const acked = await ackedCount('tweeter.post.published');
    const eightDaysAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000).toISOString();
    const old = { ...createEvent('tweeter.post.published', { ...sampleEventData['tweeter.post.published'], userId }, { source: 'tweeter', correlationId: 'old' }), occurredAt: eightDaysAgo };

    await h.publisher.publish(old);

    await waitFor(async () => (await ackedCount('tweeter.post.published')) > acked, { what: 'the old event acknowledged' });
    expect(await h.notifier.emailQueue.queue.getJob(emailJobId(old.id, 'post-published'))).toBeUndefined();
    expect(mailTo(email)).toHaveLength(1);
  });
});

describe('notifier: health', () => {
  it('when Redis and RabbitMQ answer, then /readyz is ready and /metrics counts the mails', async () => {
    const ready = await h.notifier.app.inject({ method: 'GET', url: '/readyz' });
    const metrics = await h.notifier.app.inject({ method: 'GET', url: '/metrics' });

    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', checks: { redis: 'ok', rabbitmq: 'ok' } });
    expect(metrics.body).toMatch(/notifier_emails_total\{[^}]*template="welcome"[^}]*outcome="sent"[^}]*\} \d+/);
  });
});
