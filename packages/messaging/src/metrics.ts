export type ConsumeOutcome = 'acked' | 'retried' | 'dead_lettered';

/** Hooks a service maps to its own counters (prom-client in the service kit). */
export interface MessagingMetrics {
  /** An event was confirmed by the broker. */
  onPublish(type: string): void;
  /** A delivery was settled: handled, sent to the delay path, or dead-lettered. */
  onConsume(type: string, outcome: ConsumeOutcome): void;
  /** A connection was re-established after a loss. */
  onReconnect?(): void;
  /** publish() gave up: no confirm within its time budget, the broker blocked the connection, or it refused the event. */
  onPublishFailed?(type: string): void;
}

export const noopMetrics: MessagingMetrics = {
  onPublish: () => {},
  onConsume: () => {},
};
