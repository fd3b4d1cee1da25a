import type { TweeterDeps } from '../use-cases/deps.js';
import { reconcile } from '../use-cases/reconcile.js';

/** Runs the reconciler now and then every `intervalMs`, one round at a time. */
export class ReconcilerLoop {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly deps: TweeterDeps,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.stopped = false;
    this.tick();
  }

  /** Runs one round now (after the one in progress, if any). */
  runOnce(): Promise<void> {
    this.round = this.round.then(() =>
      reconcile(this.deps).then(
        () => undefined,
        (error: unknown) => this.deps.logger.warn({ err: error }, 'reconciliation round failed; next round retries'),
      ),
    );
    return this.round;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round;
  }

  private tick(): void {
    void this.runOnce().then(() => {
      if (!this.stopped) this.timer = setTimeout(() => this.tick(), this.intervalMs);
    });
  }
}
