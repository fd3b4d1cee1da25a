/** A BullMQ queue as it lives in Redis: its key prefix and its name. */
export interface QueueAddress {
  prefix: string;
  name: string;
}

const metaSuffix = ':meta';

/** The SCAN pattern finding every queue under a prefix: each queue keeps a `<prefix>:<name>:meta` hash. */
export function metaKeyPattern(prefix: string): string {
  return `${prefix.replace(/[*?[\]\\]/g, '\\$&')}:*${metaSuffix}`;
}

/** The queue a meta key belongs to; undefined for keys that only look alike (a name holding ':'). */
export function queueOfMetaKey(prefix: string, key: string): QueueAddress | undefined {
  const head = `${prefix}:`;
  if (!key.startsWith(head) || !key.endsWith(metaSuffix)) return undefined;
  const name = key.slice(head.length, -metaSuffix.length);
  if (name.length === 0 || name.includes(':')) return undefined;
  return { prefix, name };
}

/**
 * The name a queue goes by on the board and in metrics: the bare name under the primary prefix
 * (the one every service uses by default), `<prefix>:<name>` under the others, so names never collide.
 */
export function boardNameOf(queue: QueueAddress, primaryPrefix: string): string {
  return queue.prefix === primaryPrefix ? queue.name : `${queue.prefix}:${queue.name}`;
}
