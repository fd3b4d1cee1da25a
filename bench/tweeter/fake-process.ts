/**
 * The fake Mastodon in a process of its own (so the bench measures the service, not a fake sharing
 * its event loop): started by main.ts with fork(), answers over the IPC channel.
 */
import { startFakeMastodon } from '@trendcast/fakes';

const accounts = Number(process.env.FAKE_ACCOUNTS ?? '1');
const usernames = Array.from({ length: accounts }, (_, i) => `bench${i}`);
const fake = await startFakeMastodon({ accounts: usernames, rateLimit: { limit: 10_000_000, periodSeconds: 300 } });

export type FakeRequest = { type: 'statuses' } | { type: 'close' };
export type FakeReply =
  | { type: 'ready'; origin: string; tokens: string[] }
  | { type: 'statuses'; statuses: Array<{ key: string | null; createdAt: number }> };

const send = (message: FakeReply) => process.send?.(message);

process.on('message', (message: FakeRequest) => {
  if (message.type === 'statuses') {
    send({ type: 'statuses', statuses: fake.statuses.map((s) => ({ key: s.idempotencyKey ?? null, createdAt: s.createdAt.getTime() })) });
  } else if (message.type === 'close') {
    void fake.close().then(() => process.exit(0));
  }
});
send({ type: 'ready', origin: fake.origin, tokens: usernames.map((name) => fake.issueToken(name)) });
