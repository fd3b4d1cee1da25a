import type { Logger } from '@trendcast/core';
import type { BullQueues, MonitoredQueue } from '../data/bullmq-queues.js';
import type { ParkedMessageSource } from '../data/parked-messages.js';
import type { ParkedOutboxSource } from '../data/parked-outbox.js';
import type { SessionStore } from '../data/session-store.js';
import type { MonitorMetrics } from '../metrics.js';

/** The board the queues are shown on (Bull Board); told whenever the set of queues changes. */
export interface QueueBoard {
  show(queues: readonly MonitoredQueue[]): void;
}

export interface MonitorSettings {
  sessionTtlSeconds: number;
  peekLimit: number;
  /** Longest wait for one service's answer about its parked outbox rows. */
  outboxTimeoutMs: number;
}

/** Everything the monitor's use cases may use, built once in service.ts. */
export interface MonitorDeps {
  sessions: SessionStore;
  queues: BullQueues;
  board: QueueBoard;
  parked: ParkedMessageSource;
  /** The SQL services asked about their parked outbox rows. */
  outboxes: ParkedOutboxSource;
  metrics: MonitorMetrics;
  settings: MonitorSettings;
  logger: Logger;
  now: () => Date;
  newSessionId: () => string;
}
