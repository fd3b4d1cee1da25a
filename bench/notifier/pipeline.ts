import { randomUUID } from 'node:crypto';
import { createEvent, defaultNotificationPreferences, type AnyDomainEvent, type EventData, type EventType } from '@trendcast/events';
import type { NotifierHarness } from '../../apps/notifier/test/support/service.js';
import type { SmtpCapture } from '../../apps/notifier/test/support/smtp-capture.js';
import { mailIdOf, now, offerLoad, summarize, type PhaseResult } from './stats.js';

const origin = { source: 'bench', correlationId: 'bench-notifier' };

/** The five kinds of activity mail, in turn: each needs the recipient projection, as in production. */
const activity: Array<{ type: EventType; template: string; data: (userId: string) => EventData<EventType> }> = [
  {
    type: 'thinker.drafts.generated',
    template: 'drafts-ready',
    data: (userId) => ({
      generationId: randomUUID(),
      userId,
      model: 'llama3.2',
      drafts: [1, 2, 3].map((n) => ({ id: randomUUID(), text: `Draft ${n}: pizza is rising this week, here is why. `.repeat(3), sentiment: { label: 'positive' as const, score: 0.6, scorer: 'lexicon' } })),
    }),
  },
  { type: 'tweeter.post.published', template: 'post-published', data: (userId) => ({ postId: randomUUID(), userId, channel: 'timeline', url: 'https://trendcast.test/timeline/1', publishedAt: new Date().toISOString() }) },
  { type: 'tweeter.post.failed', template: 'post-failed', data: (userId) => ({ postId: randomUUID(), userId, channel: 'mastodon', reason: 'instance answered 401 Unauthorized', attempts: 5 }) },
  { type: 'trends.search.failed', template: 'search-failed', data: (userId) => ({ searchId: randomUUID(), userId, keywords: ['pizza'], reason: 'Google Trends kept answering 429' }) },
  { type: 'thinker.generation.failed', template: 'generation-failed', data: (userId) => ({ generationId: randomUUID(), userId, reason: 'model returned invalid JSON three times' }) },
];

/** Waits until `count` mails whose id is in `ids` were accepted, or the deadline passes. */
function collect(smtp: SmtpCapture, startedAtById: Map<string, number>, count: number, deadline: number) {
  const latencies: number[] = [];
  let lastAt = now();
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  smtp.onAccepted = (mail) => {
    const started = startedAtById.get(mailIdOf(mail.raw) ?? '');
    if (started === undefined) return;
    latencies.push(mail.acceptedAt - started);
    lastAt = mail.acceptedAt;
    if (latencies.length >= count) done();
  };
  const timer = setTimeout(done, Math.max(0, deadline - now()));
  return {
    latencies,
    lastAt: () => lastAt,
    finished: finished.finally(() => {
      clearTimeout(timer);
      smtp.onAccepted = undefined;
    }),
  };
}

/** Registers `count` users (each gets a welcome mail) so activity events find their recipients. */
export async function seedUsers(h: NotifierHarness, smtp: SmtpCapture, count: number, deadline: number): Promise<string[]> {
  const events = Array.from({ length: count }, () => {
    const userId = randomUUID();
    return createEvent('users.user.registered', { userId, email: `${userId.slice(0, 8)}@example.com`, displayName: 'Bench', notificationPreferences: defaultNotificationPreferences }, origin);
  });
  const ids = new Map(events.map((event) => [`${event.id}.welcome`, now()]));
  const welcomes = collect(smtp, ids, count, deadline);
  await Promise.all(events.map((event) => h.publisher.publish(event)));
  await welcomes.finished;
  if (welcomes.latencies.length < count) throw new Error(`only ${welcomes.latencies.length} of ${count} welcome mails arrived`);
  return events.map((event) => event.data.userId);
}

/** Event published → RabbitMQ → consumer → notifier.email job → worker → SMTP server accepted it. */
export async function runPipeline(o: {
  phase: string;
  h: NotifierHarness;
  smtp: SmtpCapture;
  userIds: string[];
  events: number;
  rate?: number;
  publishWindow: number;
  deadline: number;
}): Promise<PhaseResult> {
  const events: Array<{ event: AnyDomainEvent; mailId: string }> = Array.from({ length: o.events }, (_, i) => {
    const kind = activity[i % activity.length]!;
    const event = createEvent(kind.type, kind.data(o.userIds[i % o.userIds.length]!), origin) as AnyDomainEvent;
    return { event, mailId: `${event.id}.${kind.template}` };
  });
  const startedAtById = new Map<string, number>();
  const mails = collect(o.smtp, startedAtById, o.events, o.deadline);
  const startedAt = now();
  await offerLoad({ total: o.events, concurrency: o.rate ? Math.max(o.publishWindow, 1) : o.publishWindow, rate: o.rate, deadline: o.deadline }, async (i, intendedAt) => {
    const { event, mailId } = events[i]!;
    startedAtById.set(mailId, intendedAt);
    await o.h.publisher.publish(event);
  });
  await mails.finished;
  return summarize({
    phase: o.phase,
    offered: o.rate ? `${o.rate}/s` : `as fast as ${o.publishWindow} unconfirmed publishes go`,
    expected: o.events,
    latenciesMs: mails.latencies,
    startedAt,
    lastAt: mails.lastAt(),
  });
}
