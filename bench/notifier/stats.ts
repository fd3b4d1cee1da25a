export const now = () => performance.now();

export interface PhaseResult {
  phase: string;
  offered: string;
  sent: number;
  expected: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  complete: boolean;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Throughput from the first offered message to the last accepted one; latencies are per message. */
export function summarize(o: { phase: string; offered: string; expected: number; latenciesMs: number[]; startedAt: number; lastAt: number }): PhaseResult {
  const sorted = [...o.latenciesMs].sort((a, b) => a - b);
  const seconds = Math.max(1e-9, (o.lastAt - o.startedAt) / 1000);
  return {
    phase: o.phase,
    offered: o.offered,
    sent: sorted.length,
    expected: o.expected,
    seconds: round(seconds, 2),
    perSecond: round(sorted.length / seconds, 0),
    p50Ms: round(percentile(sorted, 50), 1),
    p99Ms: round(percentile(sorted, 99), 1),
    maxMs: round(sorted.at(-1) ?? Number.NaN, 1),
    complete: sorted.length === o.expected,
  };
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

/**
 * Runs `task(i, intendedAt)` for i in [0, total): as fast as `concurrency` allows, or paced at
 * `rate` per second, measuring from the intended start so a stall is not hidden. Stops at `deadline`.
 */
export async function offerLoad(
  o: { total: number; concurrency: number; rate?: number; deadline: number },
  task: (i: number, intendedAt: number) => Promise<void>,
): Promise<number> {
  const startedAt = now();
  let next = 0;
  const worker = async () => {
    while (next < o.total && now() < o.deadline) {
      const i = next++;
      const intendedAt = o.rate ? startedAt + (i * 1000) / o.rate : now();
      const wait = intendedAt - now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      await task(i, intendedAt);
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency, o.total) }, worker));
  return next;
}

/** Message-ID `<eventId.template@domain>` (possibly folded onto the next line) → the mail's id. */
export function mailIdOf(raw: string): string | undefined {
  return /^Message-ID:\s*<([^@>]+)@/im.exec(raw)?.[1];
}
