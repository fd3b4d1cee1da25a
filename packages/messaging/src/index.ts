export { RabbitConnection, ConnectionClosedError, type RabbitConnectionOptions } from './rabbit-connection.js';
export { openMessagingConnections, type MessagingConnections } from './messaging-connections.js';
export { ManagedChannel, ChannelUnavailableError, type ChannelSetup } from './managed-channel.js';
export type { ConnectionSource } from './connection-source.js';
export { EventPublisher, type EventPublisherOptions } from './event-publisher.js';
export { PublishError, type PublishFailure } from './publish-error.js';
export {
  EventConsumer,
  type EventConsumerOptions,
  type EventHandler,
  type HandlerContext,
  type BatchEventHandler,
  type BatchHandlerContext,
  type BatchOptions,
  type ConsumerQueue,
} from './event-consumer.js';
export { TopologyConflictError } from './broker-errors.js';
export { migrateConsumerQueue, holdingQueueName, QueueInUseError, type QueueMigration, type QueueMigrationOptions } from './queue-migration.js';
export { migrateProducerExchange } from './exchange-migration.js';
export { ensureProducerExchange, type UnroutedHandling } from './producer-exchange.js';
export {
  countParked,
  parkedQueueNames,
  peekParked,
  replayParked,
  resolveParkedQueue,
  type ParkedKind,
  type ParkedListing,
  type ParkedMessage,
  type ParkedQueueCount,
} from './parked-messages.js';
export { inspectDeadLetters, replayDeadLetters, resolveDeadLetterQueue, type DeadLetter, type DeadLetterListing } from './dead-letters.js';
export { deleteQueues, deleteExchanges, purgeQueue, queueStats } from './admin.js';
export {
  defaultRetryDelaysMs,
  defaultMaxAttempts,
  defaultDeliveryLimit,
  producerExchangeName,
  exchangeForType,
  consumerQueueName,
  deadLetterQueueName,
  retryQueueName,
  unroutedExchangeName,
  unroutedQueueName,
  retryDelayFor,
  consumerTopologyQueues,
  consumerQueueArguments,
  retryQueueArguments,
  producerExchangeArguments,
  assertProducerExchange,
  assertConsumerTopology,
  type ConsumerQueueTopology,
  type QueueType,
} from './topology.js';
export { messageHeaders, eventPublishOptions, type DeadLetterReason } from './message-properties.js';
export { withChannel } from './with-channel.js';
export { amqplibPatch, assertAmqplibPatched } from './dependency-patches.js';
export { silentLogger, type LogFn } from '@trendcast/core';
/** The logger this package takes: `Logger` of @trendcast/core, under the name callers already use. */
export type { Logger as MessagingLogger } from '@trendcast/core';
export { noopMetrics, type MessagingMetrics, type ConsumeOutcome } from './metrics.js';
