import type { ThinkerDeps } from '../use-cases/deps.js';
import { reconcile } from '../use-cases/reconcile.js';

/** Runs the reconciler at start and then every `intervalMs`, never two rounds at once. */
export class ReconcilerLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly deps: ThinkerDeps,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.running = reconcile(this.deps)
        .then(() => undefined)
        .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'reconciliation round failed; the next round retries'))
        .finally(() => {
          this.running = undefined;
          if (!this.stopped) this.schedule(this.intervalMs);
        });
    }, delayMs);
  }
}
