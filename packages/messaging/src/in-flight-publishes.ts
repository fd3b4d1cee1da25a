import type { ConfirmChannel } from 'amqplib';

/** One copy of an event written to a channel, until its confirm settles (and a while after, see below). */
export interface InFlightCopy {
  channel: ConfirmChannel;
  bytes: number;
  /** Settles like the broker's answer to this copy. */
  confirmed: Promise<void>;
  /** Callers of publish() waiting on this copy right now. */
  waiting: number;
}

/**
 * The copies of events written to the broker and not yet confirmed, by event id. publish() of an event
 * that has a copy in flight waits for that copy instead of writing another: a publish that gave up (its
 * deadline passed while the broker blocked the connection, say) leaves its copy on the wire, and a
 * retry that wrote again would store the event twice once the broker reads them both. A copy the broker
 * confirms after every caller gave up is remembered for `lateConfirmMemoryMs`, so the retry resolves
 * without sending anything. Entries are bounded by what was written (publish() writes nothing while the
 * socket does not drain) plus the late confirms of the memory window.
 */
export class InFlightPublishes {
  private readonly pending = new Map<string, InFlightCopy>();
  private pendingBytes = 0;
  private readonly settleWaiters = new Set<() => void>();
  /** Event ids confirmed after every caller gave up, with when; in confirmation order. */
  private readonly confirmedLate = new Map<string, number>();

  constructor(private readonly lateConfirmMemoryMs: number) {}

  /** The copy of `eventId` still waiting for its confirm. */
  inFlight(eventId: string): InFlightCopy | undefined {
    return this.pending.get(eventId);
  }

  /** Whether the broker confirmed a copy of `eventId` after its publish() had given up (within the memory window). */
  wasConfirmedLate(eventId: string): boolean {
    this.forgetOldLateConfirms();
    return this.confirmedLate.has(eventId);
  }

  /** Tracks a copy just written; the caller is counted as waiting on it. */
  track(eventId: string, channel: ConfirmChannel, confirmed: Promise<void>, bytes: number): InFlightCopy {
    const copy: InFlightCopy = { channel, confirmed, waiting: 1, bytes };
    this.pending.set(eventId, copy);
    this.pendingBytes += bytes;
    const settle = (confirmedLate: boolean) => {
      if (this.pending.get(eventId) !== copy) return;
      this.pending.delete(eventId);
      this.pendingBytes -= copy.bytes;
      if (confirmedLate) this.confirmedLate.set(eventId, performance.now());
      for (const waiter of [...this.settleWaiters]) waiter();
    };
    confirmed.then(
      () => settle(copy.waiting === 0),
      // Refused, or its channel closed: whether stored or not is unknown, so the next publish sends again.
      () => settle(false),
    );
    return copy;
  }

  /** Copies written and not yet confirmed. */
  unconfirmed(): number {
    return this.pending.size;
  }

  /** Bytes of the copies written and not yet confirmed: what the process may be holding for the broker. */
  unconfirmedBytes(): number {
    return this.pendingBytes;
  }

  /** Resolves the next time a copy settles (confirmed, refused or lost with its channel). */
  nextSettlement(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.settleWaiters.delete(done);
        resolve();
      };
      this.settleWaiters.add(done);
    });
  }

  private forgetOldLateConfirms(): void {
    const now = performance.now();
    for (const [eventId, at] of this.confirmedLate) {
      if (now - at <= this.lateConfirmMemoryMs) break;
      this.confirmedLate.delete(eventId);
    }
  }
}
