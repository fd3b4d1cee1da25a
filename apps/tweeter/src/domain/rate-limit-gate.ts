/**
 * A network's rate limit applies to the whole account, not to one post: once a channel is told
 * "wait until T", every post of that channel waits until T instead of each finding out with a 429.
 */
export type GateDecision = { proceed: true } | { proceed: false; waitUntil: Date };

/** Whether a channel paused until `pausedUntil` may publish at `now`. */
export function checkGate(pausedUntil: Date | null | undefined, now: Date): GateDecision {
  if (!pausedUntil || pausedUntil.getTime() <= now.getTime()) return { proceed: true };
  return { proceed: false, waitUntil: pausedUntil };
}

/** The pause after a new rate limit: the later of the pause in force and the new reset. */
export function extendPause(pausedUntil: Date | null | undefined, resetAt: Date): Date {
  return pausedUntil && pausedUntil.getTime() > resetAt.getTime() ? pausedUntil : resetAt;
}

/** Where channel pauses are kept (the channel row in production; memory in one process). */
export interface ChannelGate {
  check(channelId: string, now: Date): Promise<GateDecision>;
  pause(channelId: string, until: Date): Promise<void>;
}

/** A ChannelGate for one process (tests, local runs). */
export class InMemoryChannelGate implements ChannelGate {
  private readonly pauses = new Map<string, Date>();

  async check(channelId: string, now: Date): Promise<GateDecision> {
    const decision = checkGate(this.pauses.get(channelId), now);
    if (decision.proceed) this.pauses.delete(channelId);
    return decision;
  }

  async pause(channelId: string, until: Date): Promise<void> {
    this.pauses.set(channelId, extendPause(this.pauses.get(channelId), until));
  }
}
