import type { Logger } from '@trendcast/core';
import {
  EventConsumer,
  EventPublisher,
  openMessagingConnections,
  type EventConsumerOptions,
  type MessagingConnections,
  type QueueMigration,
} from '@trendcast/messaging';
import type { ServiceMetrics } from './metrics.js';
import { shutdownBudget, stopWithin, type ShutdownBudget } from './shutdown-budget.js';
import type { Stop } from './shutdown.js';

/** The flag main.ts runs the queue migration step on (runQueueMigration); `npm run migrate:queues` passes it. */
export const queueMigrationFlag = '--migrate-queues';

/** What the bus reads from a service's config (messagingConfigShape and serviceConfigShape). */
export interface EventBusConfig {
  RABBITMQ_URL: string;
  RABBITMQ_NAMESPACE?: string | undefined;
  EVENT_HANDLER_TIMEOUT_MS: number;
  SHUTDOWN_TIMEOUT_MS: number;
}

export interface EventBusOptions {
  /** The app's name (`trends`): connection names, and `@trendcast/<service>` in the queue migration step. */
  service: string;
  logger: Logger;
  metrics: ServiceMetrics;
  /** How long start() waits for the broker (connections, then each consumer's queues). Default 30 s. */
  startTimeoutMs?: number;
}

/** A consumer's own settings; the connection, namespace, handler deadline, logger and metrics come from the bus. */
export type BusConsumerOptions = Partial<Omit<EventConsumerOptions, 'logger' | 'metrics' | 'namespace' | 'publishingConnection' | 'queueMigrationStep'>>;

/**
 * The outbox relay and inbox pruner of a SQL service (@trendcast/outbox), started after the consumers
 * (so their queues exist before anything is published) and stopped after them.
 */
export interface OutboxParts {
  relay?: { start(): Promise<void>; stop(options: { timeoutMs: number }): Promise<void> } | undefined;
  pruner?: { start(): void; stop(options: { timeoutMs: number }): Promise<void> } | undefined;
}

export interface EventBus {
  /** The namespaced publisher on the publishing connection, made on first use: the outbox relay's sink. */
  readonly publisher: EventPublisher;
  readonly connections: MessagingConnections;
  /** SHUTDOWN_TIMEOUT_MS shared out among the stop steps; a service closes its database within `budget.database`. */
  readonly budget: ShutdownBudget;
  /** A consumer on the consuming connection; start(), stops() and checkReady() cover it. Subscribe with on() before start(). */
  consumer(options?: BusConsumerOptions): EventConsumer;
  /**
   * Connects, declares and starts every consumer, then starts the relay and the pruner. A service that
   * only publishes does not wait for the broker: its events wait in the outbox until it is reachable.
   * A queue the broker refuses (406) fails at once with a TopologyConflictError naming the queue and
   * the service's queue migration step.
   */
  start(parts?: OutboxParts): Promise<void>;
  /** Readiness: both connections up and unblocked, every consumer consuming; otherwise rejects saying why. */
  checkReady(): Promise<void>;
  /**
   * The stop steps in order, each held to its share of SHUTDOWN_TIMEOUT_MS: event consumer → inbox
   * pruner → `workers` (the service's own, which may still write events to the outbox) → outbox relay
   * → rabbitmq (publisher, then both connections). The service adds its Redis and database after them.
   */
  stops(parts?: OutboxParts & { workers?: Stop[] | undefined }): Stop[];
  /** The one-shot queue migration (runQueueMigration): classic consumer queues moved to the declared quorum queues. */
  migrateQueues(): Promise<QueueMigration[]>;
}

/**
 * A service's connection to the event backbone, wired the one way every service uses it: two
 * connections (publishing, consuming), a namespaced publisher, consumers whose retry copies go out
 * on the publishing connection under the configured handler deadline, one readiness check, and
 * stop steps whose timeouts are shares of SHUTDOWN_TIMEOUT_MS.
 */
export function createEventBus(config: EventBusConfig, o: EventBusOptions): EventBus {
  const { logger, service } = o;
  const metrics = o.metrics.messaging;
  const namespace = config.RABBITMQ_NAMESPACE;
  const startTimeoutMs = o.startTimeoutMs ?? 30_000;
  const budget = shutdownBudget(config.SHUTDOWN_TIMEOUT_MS);
  const connections = openMessagingConnections({ url: config.RABBITMQ_URL, name: service, logger, metrics });
  const consumers: EventConsumer[] = [];
  let publisher: EventPublisher | undefined;
  let startFailure: unknown;

  const startConsumers = async () => {
    await connections.start({ timeoutMs: startTimeoutMs });
    for (const consumer of consumers) {
      await consumer.start({ timeoutMs: startTimeoutMs }).catch((error: unknown) => {
        startFailure = error;
        throw error;
      });
    }
  };

  return {
    get publisher() {
      publisher ??= new EventPublisher(connections.publishing, { logger, metrics, namespace });
      return publisher;
    },
    connections,
    budget,
    consumer(options = {}) {
      const consumer = new EventConsumer(connections.consuming, {
        service,
        handlerTimeoutMs: config.EVENT_HANDLER_TIMEOUT_MS,
        ...options,
        logger,
        metrics,
        namespace,
        publishingConnection: connections.publishing,
        queueMigrationStep: `npm run migrate:queues -w @trendcast/${service} (in its image: node dist/main.js ${queueMigrationFlag})`,
      });
      consumers.push(consumer);
      return consumer;
    },
    async start(parts = {}) {
      if (consumers.length > 0) await startConsumers();
      else connections.start({ timeoutMs: startTimeoutMs }).catch((err: unknown) => logger.warn({ err }, 'RabbitMQ not reachable yet; events wait in the outbox'));
      await parts.relay?.start();
      parts.pruner?.start();
    },
    async checkReady() {
      if (startFailure) throw startFailure;
      await connections.checkReady();
      await Promise.all(consumers.map((consumer) => consumer.checkReady()));
    },
    stops({ relay, pruner, workers = [] } = {}) {
      const steps: Stop[] = [];
      if (consumers.length > 0) {
        steps.push(stopWithin('event consumer', budget.consumers, (timeoutMs) => Promise.all(consumers.map((consumer) => consumer.stop({ timeoutMs }))), logger));
      }
      if (pruner) steps.push(stopWithin('inbox pruner', budget.pruner, (timeoutMs) => pruner.stop({ timeoutMs }), logger));
      steps.push(...workers);
      if (relay) steps.push(stopWithin('outbox relay', budget.relay, (timeoutMs) => relay.stop({ timeoutMs }), logger));
      const [, closePublisher] = stopWithin('publisher', budget.publisher, async () => publisher?.close(), logger);
      const [, closeConnections] = stopWithin('rabbitmq connections', budget.connections, (timeoutMs) => connections.close({ timeoutMs }), logger);
      steps.push([
        'rabbitmq',
        async () => {
          await closePublisher();
          await closeConnections();
        },
      ]);
      return steps;
    },
    async migrateQueues() {
      await connections.start({ timeoutMs: startTimeoutMs });
      const moved: QueueMigration[] = [];
      for (const consumer of consumers) moved.push(...(await consumer.migrateQueues()));
      return moved;
    },
  };
}
