import type { MonitorDeps } from '../use-cases/deps.js';
import { refreshQueues } from '../use-cases/refresh-queues.js';

/** Refreshes the queue list and the counts now and then every `intervalMs`, one round at a time. */
export class RefreshLoop {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> = Promise.resolve();
  private stopped = true;

  constructor(
    private readonly deps: MonitorDeps,
    private readonly intervalMs: number,
  ) {}

  /** Resolves once the first round is done, so the board is filled before the first page is served. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.tick();
  }

  /** Runs one round now (after the one in progress, if any). */
  runOnce(): Promise<void> {
    // refreshQueues logs and counts its own failures; it never rejects.
    this.round = this.round.then(() => refreshQueues(this.deps));
    return this.round;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round;
  }

  private async tick(): Promise<void> {
    await this.runOnce();
    if (!this.stopped) this.timer = setTimeout(() => void this.tick(), this.intervalMs);
  }
}
