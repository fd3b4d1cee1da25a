import { Socket } from 'node:net';

type WriteHook = (...args: unknown[]) => unknown;

export interface SocketWriteCounter {
  /** Writes (system calls: one per `_write`, one per gathered `_writev`) counted so far. */
  readonly writes: number;
  stop(): void;
}

/**
 * Counts the socket writes this process makes to `port` until `stop()`: the figure that shows
 * whether a client gathers what it sends together into one write, or pays a system call (and a
 * wake-up of the server) per message.
 */
export function countSocketWrites(port: number): SocketWriteCounter {
  const prototype = Socket.prototype as unknown as Record<'_write' | '_writev', WriteHook>;
  const { _write: write, _writev: writev } = prototype;
  let writes = 0;
  const counted = (original: WriteHook): WriteHook =>
    function (this: Socket, ...args: unknown[]) {
      if (this.remotePort === port) writes += 1;
      return original.apply(this, args);
    };
  Object.assign(prototype, { _write: counted(write), _writev: counted(writev) });
  return {
    get writes() {
      return writes;
    },
    stop: () => Object.assign(prototype, { _write: write, _writev: writev }),
  };
}
