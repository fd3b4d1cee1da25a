export { inboxMessages, outboxChannel, outboxMessages } from './schema.js';
export { addToOutbox } from './add-to-outbox.js';
export { OutboxRelay, type OutboxRelayOptions } from './outbox-relay.js';
export { handleOnce, pruneInbox, wasHandled, type HandleOutcome } from './handle-once.js';
export { handleBatchOnce, type BatchOutcome } from './handle-batch-once.js';
export { outboxBacklog, type OutboxBacklog } from './backlog.js';
export type { Database, DbExecutor, EventSink, OutboxLogger, Transaction } from './types.js';
