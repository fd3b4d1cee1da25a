/**
 * Messages the event backbone parked for an operator: dead letters (a consumer could not handle
 * them) and unrouted events (published while no queue was bound for them). The shapes are the
 * backbone's own (@trendcast/messaging's parked-message module); the console shows them as they are.
 */
export type { ParkedKind, ParkedListing, ParkedMessage, ParkedQueueCount as ParkedQueue } from '@trendcast/messaging';
