/** An AMQP error the broker raised on a channel: `code` is the reply code (404, 406, …). */
function replyCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** 406 PRECONDITION_FAILED: typically a queue or exchange that exists with other arguments. */
export function isPreconditionFailed(error: unknown): boolean {
  return replyCode(error) === 406;
}

/** 404 NOT_FOUND: a queue or exchange that does not exist (a passive declare, a publish to a missing exchange). */
export function isNotFound(error: unknown): boolean {
  return replyCode(error) === 404;
}

/** 403 ACCESS_REFUSED: the user may not declare or use it. */
export function isAccessRefused(error: unknown): boolean {
  return replyCode(error) === 403;
}

/**
 * A queue or exchange exists on the broker with other properties than this code declares (406). The
 * broker refuses the declaration however often it is retried, so a consumer's start fails with this at
 * once, and its readiness reports it, instead of retrying for ever.
 */
export class TopologyConflictError extends Error {
  override readonly name = 'TopologyConflictError';
  readonly code = 'TOPOLOGY_CONFLICT';

  constructor(
    readonly kind: 'queue' | 'exchange',
    readonly entity: string,
    readonly brokerMessage: string,
    /** How an operator runs the owning service's queue migration (a command); the message names it. */
    readonly migrationStep?: string,
  ) {
    super(`${kind} "${entity}" already exists on the broker with other arguments than declared here (${describeMismatch(brokerMessage)}); ${advice(kind, brokerMessage, migrationStep)}`);
  }
}

/** The broker's error as a TopologyConflictError when it is a 406 about `entity`; any other error unchanged. */
export function asTopologyConflict(error: unknown, kind: 'queue' | 'exchange', entity: string): unknown {
  if (!isPreconditionFailed(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new TopologyConflictError(kind, entity, message);
}

/** Setup errors that retrying cannot fix: start() fails with them at once. */
export function isPermanentSetupError(error: unknown): boolean {
  return error instanceof TopologyConflictError || isAccessRefused(error);
}

function describeMismatch(brokerMessage: string): string {
  const match = /inequivalent arg '([^']+)'[^:]*:\s*(.*)$/s.exec(brokerMessage);
  if (!match) return brokerMessage.replace(/^.*?PRECONDITION_FAILED - /s, '').replace(/"$/, '');
  return `argument ${match[1]}: ${match[2]!.replace(/"$/, '')}`;
}

function advice(kind: 'queue' | 'exchange', brokerMessage: string, migrationStep: string | undefined): string {
  if (kind === 'queue' && migrationStep) {
    return `run this service's queue migration once, with no old instance consuming: ${migrationStep} (EventConsumer.migrateQueues(); see the messaging README, "Moving to quorum queues")`;
  }
  if (kind === 'queue') {
    return 'a queue declared by an earlier version (a classic queue from before quorum queues, other retry settings) moves to the declared one with EventConsumer.migrateQueues() (see the messaging README, "Moving to quorum queues")';
  }
  if (brokerMessage.includes("'alternate-exchange'")) {
    return 'an exchange from before unrouted queues gets one with migrateProducerExchange() (see the messaging README)';
  }
  return 'declare it with the same arguments, or delete it';
}
