import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@trendcast/testing';
import { outboxEventsOfType, register, startHarness, uniqueEmail, type Harness } from './support/service.js';

// An attacker times the public "send me a link" endpoints to learn who has an account. Measured the
// way they would, with the worker sending links in the background as in production: at least 200
// requests each way, interleaved at random so a noisy machine slows both kinds alike. The medians
// must be within 2 ms, and the best latency threshold, chosen on half the samples, must guess the
// other half right no more than 60 % of the time.
const samplesPerKind = 250;
const warmUp = 60;

let h: Harness;
let accounts: string[];

beforeAll(async () => {
  // The service's own email-link worker runs, as in production; its safety-net poll is shortened.
  h = await startHarness({ env: { EMAIL_COOLDOWN_SECONDS: '0' }, emailLinkWorker: { pollIntervalMs: 200 } });
  // Unverified accounts: both endpoints send them a link on every request (no cooldown here).
  accounts = [];
  for (let i = 0; i < 20; i++) accounts.push((await register(h, uniqueEmail('timed'))).email);
}, 120_000);
afterAll(async () => {
  await h?.close();
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

interface Sample {
  exists: boolean;
  ms: number;
}

/** Best accuracy of "latency above t means the account exists" (or below), with t chosen on `train`, measured on `test`. */
function thresholdAccuracy(train: Sample[], test: Sample[]): number {
  const accuracy = (samples: Sample[], t: number, aboveMeansExists: boolean) =>
    samples.filter((s) => (s.ms > t) === (aboveMeansExists ? s.exists : !s.exists)).length / samples.length;
  let best = { t: 0, above: true, score: 0 };
  for (const { ms: t } of train) {
    for (const above of [true, false]) {
      const score = accuracy(train, t, above);
      if (score > best.score) best = { t, above, score };
    }
  }
  return accuracy(test, best.t, best.above);
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

async function measure(url: string): Promise<{ existing: number[]; unknown: number[]; accuracy: number }> {
  let next = 0;
  const ask = async (exists: boolean): Promise<number> => {
    const email = exists ? accounts[next++ % accounts.length]! : uniqueEmail('nobody');
    const started = process.hrtime.bigint();
    const response = await h.app.inject({ method: 'POST', url, payload: { email } });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    expect(response.statusCode).toBe(202);
    return ms;
  };
  for (let i = 0; i < warmUp; i++) await ask(i % 2 === 0);

  const kinds = shuffled([...Array<boolean>(samplesPerKind).fill(true), ...Array<boolean>(samplesPerKind).fill(false)]);
  const samples: Sample[] = [];
  for (const exists of kinds) samples.push({ exists, ms: await ask(exists) });

  const halves = shuffled(samples);
  const train = halves.slice(0, halves.length / 2);
  const test = halves.slice(halves.length / 2);
  return {
    existing: samples.filter((s) => s.exists).map((s) => s.ms),
    unknown: samples.filter((s) => !s.exists).map((s) => s.ms),
    accuracy: thresholdAccuracy(train, test),
  };
}

describe('account existence does not show in response times', () => {
  for (const [url, eventType] of [
    ['/users/password/forgot', 'users.password_reset.requested'],
    ['/users/verify-email/resend', 'users.email_verification.requested'],
  ] as const) {
    it(`when ${url} is asked ${samplesPerKind} times for existing and unknown emails, then the timings do not tell them apart`, async () => {
      const { existing, unknown, accuracy } = await measure(url);

      const difference = Math.abs(median(existing) - median(unknown));
      console.info(
        `${url}: median existing ${median(existing).toFixed(2)} ms, unknown ${median(unknown).toFixed(2)} ms, threshold guess right ${(accuracy * 100).toFixed(1)} %`,
      );
      expect(existing.length).toBeGreaterThanOrEqual(200);
      expect(unknown.length).toBeGreaterThanOrEqual(200);
      expect(difference).toBeLessThan(2);
      expect(accuracy).toBeLessThanOrEqual(0.6);
      // The links were really sent (by the worker), so the fast answer is not a lazy one.
      // The worker catches up after the burst; on a loaded machine that takes a while (no speed target here).
      await waitFor(async () => (await h.client.sql`select 1 from email_link_requests limit 1`).length === 0, { what: 'links sent', timeoutMs: 60_000 });
      const sent = (await outboxEventsOfType(h, eventType)).filter((event) => accounts.includes(String(event.data.email)));
      expect(sent.length).toBeGreaterThanOrEqual(samplesPerKind);
    }, 120_000);
  }
});
