/**
 * Messages the event backbone parked for an operator: dead letters (a consumer could not handle
 * them) and unrouted events (published while no queue was bound for them).
 */
export type ParkedKind = 'dead-letter' | 'unrouted';

export interface ParkedQueue {
  queue: string;
  kind: ParkedKind;
  messageCount: number;
}

export interface ParkedMessage {
  messageId?: string;
  type?: string;
  correlationId?: string;
  /** Dead letters: why ('unparseable', 'max-attempts', …). */
  reason?: string;
  error?: string;
  attempts?: number;
  originalExchange?: string;
  originalRoutingKey?: string;
  originalQueue?: string;
  deadLetteredAt?: string;
  replayedAt?: string;
  /** The body exactly as it arrived. */
  body: string;
  /** The body parsed, when it is JSON. */
  payload?: unknown;
}

export interface ParkedListing {
  queue: string;
  kind: ParkedKind;
  count: number;
  messages: ParkedMessage[];
}
