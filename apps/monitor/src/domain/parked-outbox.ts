/**
 * Outbox rows a SQL service's relay parked after their event was refused too often. They live in
 * that service's own database: the console asks the service (the service kit's admin routes), never
 * the database.
 */
export interface ParkedOutboxRow {
  eventId: string;
  type: string;
  createdAt: string;
  parkedAt: string;
  attempts: number;
  refusals: number;
  lastError: string | null;
  /** The whole event envelope, as the service keeps it. */
  payload: unknown;
}

export interface ParkedOutboxListing {
  /** How many rows are parked in all; `rows` holds the oldest of them. */
  count: number;
  rows: ParkedOutboxRow[];
}

/** Why a service gave no listing or did not replay. */
export type ServiceRefusal = 'unreachable' | 'token-refused' | 'not-admin' | 'no-outbox-routes' | 'failed';
export const serviceRefusals: readonly ServiceRefusal[] = ['unreachable', 'token-refused', 'not-admin', 'no-outbox-routes', 'failed'];

/** One service's part of the page: its parked rows, or why they cannot be shown. */
export type OutboxSection =
  | { service: string; state: 'listed'; listing: ParkedOutboxListing }
  | { service: string; state: 'unavailable'; refusal: ServiceRefusal; problem: string };

export interface OutboxOverview {
  /** Services configured (MONITOR_OUTBOX_SERVICES), in order. */
  services: readonly string[];
  /** The session holds no access token still good: nothing could be asked; signing in again fixes it. */
  needsSignIn: boolean;
  sections: OutboxSection[];
}
