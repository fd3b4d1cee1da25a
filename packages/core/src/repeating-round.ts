import type { Logger } from './logger.js';

export interface RepeatingRoundOptions {
  /** What a round does, for the log line of a failed one: "reconciliation". */
  what: string;
  /** The pause between the end of one round and the start of the next. */
  intervalMs: number;
  round: () => Promise<unknown>;
  logger: Logger;
}

/**
 * Runs a round now and then again `intervalMs` after each one ends, never two at once: the shape of
 * every reconciler and periodic check. A failed round is logged and the next one retries; `stop()`
 * waits for the round in progress.
 */
export class RepeatingRound {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> = Promise.resolve();
  private stopped = true;

  constructor(private readonly o: RepeatingRoundOptions) {}

  start(): void {
    this.stopped = false;
    this.tick();
  }

  /** Runs one round now (after the one in progress, if any). */
  runOnce(): Promise<void> {
    this.current = this.current.then(() =>
      this.o.round().then(
        () => undefined,
        (error: unknown) => this.o.logger.warn({ err: error }, `${this.o.what} round failed; the next round retries`),
      ),
    );
    return this.current;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.current;
  }

  private tick(): void {
    void this.runOnce().then(() => {
      if (!this.stopped) this.timer = setTimeout(() => this.tick(), this.o.intervalMs);
    });
  }
}
