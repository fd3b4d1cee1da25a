/** Lets calls to an external service through at a bounded rate, whoever makes them. */
export interface RequestGate {
  /** Waits for a permit (at most `maxWaitMs`, else GateWaitTimeout), runs `task`, returns the permit. */
  run<T>(task: () => Promise<T>, options?: { maxWaitMs?: number }): Promise<T>;
  /** Holds back every caller for `ms` (e.g. after a 429), across processes. */
  cooldown(ms: number): Promise<void>;
}

export class GateWaitTimeout extends Error {
  constructor(waitedMs: number) {
    super(`no turn to call the external service within ${waitedMs} ms`);
    this.name = 'GateWaitTimeout';
  }
}
