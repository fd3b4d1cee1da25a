export { RabbitConnection, ConnectionClosedError, type RabbitConnectionOptions } from './rabbit-connection.js';
export { ManagedChannel, ChannelUnavailableError, type ChannelSetup } from './managed-channel.js';
export { EventPublisher, PublishError, type EventPublisherOptions } from './event-publisher.js';
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
export { inspectDeadLetters, replayDeadLetters, resolveDeadLetterQueue, type DeadLetter, type DeadLetterListing } from './dead-letters.js';
export { deleteQueues, deleteExchanges, purgeQueue, queueStats } from './admin.js';
export {
  defaultRetryDelaysMs,
  defaultMaxAttempts,
  producerExchangeName,
  exchangeForType,
  consumerQueueName,
  deadLetterQueueName,
  retryQueueName,
  retryDelayFor,
  consumerTopologyQueues,
  assertProducerExchange,
  assertConsumerTopology,
  type ConsumerQueueTopology,
} from './topology.js';
export { messageHeaders, eventPublishOptions, type DeadLetterReason } from './message-properties.js';
export { withChannel } from './with-channel.js';
export { silentLogger, type LogFn } from '@trendcast/core';
/** The logger this package takes: `Logger` of @trendcast/core, under the name callers already use. */
export type { Logger as MessagingLogger } from '@trendcast/core';
export { noopMetrics, type MessagingMetrics, type ConsumeOutcome } from './metrics.js';
