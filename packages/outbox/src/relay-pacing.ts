import { backoffDelay } from '@trendcast/core';

/** What one look at the outbox found and did. */
export type BatchOutcome =
  /** A full batch was published: more is waiting, so look again at once. */
  | 'more'
  /** Rows were published and the backlog is drained: new rows arrive a few at a time, so let them gather. */
  | 'drained'
  /** Nothing was waiting. */
  | 'idle'
  /** Another relay holds the lock and is publishing. */
  | 'standby'
  | 'failed';

export interface PacingOptions {
  pollIntervalMs: number;
  lingerMs: number;
  lingerPollIntervalMs: number;
  minRetryDelayMs: number;
  maxRetryDelayMs: number;
}

/**
 * When the relay looks next. After publishing it keeps looking every `lingerPollIntervalMs` for
 * `lingerMs` (producers notify at most once per few milliseconds, so the rows of a busy stream arrive
 * without a notify of their own), then falls back to `pollIntervalMs`; a notify cuts an idle wait short;
 * a failure waits a growing, jittered delay.
 */
export class RelayPacer {
  private lastActivityAt = Number.NEGATIVE_INFINITY;
  private notified = false;
  private interrupt: ((force: boolean) => void) | undefined;
  private consecutiveFailures = 0;

  constructor(private readonly options: PacingOptions) {}

  /** A notify arrived: rows were committed. */
  wake(): void {
    this.notified = true;
    this.lastActivityAt = performance.now();
    this.interrupt?.(false);
  }

  /** Ends any wait at once (stop). */
  cancel(): void {
    this.interrupt?.(true);
  }

  /** Call before each look, so a notify arriving during the look is not lost. */
  beginLook(): void {
    this.notified = false;
  }

  failures(): number {
    return this.consecutiveFailures;
  }

  recordSuccess(): void {
    this.consecutiveFailures = 0;
  }

  recordFailure(): number {
    this.consecutiveFailures += 1;
    return this.consecutiveFailures;
  }

  /**
   * Waits as the outcome asks. After a failure, `resumeWhen` (the sink becoming publishable again, say)
   * ends the wait early, though never before `minRetryDelayMs`.
   */
  async after(outcome: BatchOutcome, resumeWhen?: Promise<void>): Promise<void> {
    const { pollIntervalMs, lingerMs, lingerPollIntervalMs, minRetryDelayMs, maxRetryDelayMs } = this.options;
    switch (outcome) {
      case 'more':
        this.lastActivityAt = performance.now();
        return;
      case 'drained':
        // Looking again at once would find a row or two at the price of a whole batch transaction.
        this.lastActivityAt = performance.now();
        return this.pause(lingerPollIntervalMs, false);
      case 'idle': {
        // A notify that arrived during the look may be for a row its query could not see yet.
        if (this.notified) return;
        const lingering = performance.now() - this.lastActivityAt < lingerMs;
        return this.pause(lingering ? lingerPollIntervalMs : pollIntervalMs, true);
      }
      case 'standby':
        // Notifies are for the active relay; a standby only checks in now and then.
        return this.pause(pollIntervalMs, false);
      case 'failed':
        return this.pause(backoffDelay(this.consecutiveFailures, { baseMs: minRetryDelayMs, maxMs: maxRetryDelayMs }), false, resumeWhen, minRetryDelayMs);
    }
  }

  private pause(ms: number, wakeable: boolean, resumeWhen?: Promise<void>, atLeastMs = 0): Promise<void> {
    return new Promise((resolve) => {
      const startedAt = performance.now();
      let finished = false;
      const done = () => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        this.interrupt = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.interrupt = (force) => {
        if (wakeable || force) done();
      };
      resumeWhen?.then(
        () => setTimeout(done, Math.max(0, atLeastMs - (performance.now() - startedAt))),
        () => {},
      );
    });
  }
}
