/**
 * Why a call to the language model failed, in the terms a caller decides on:
 * - `unreachable`: nothing answered at the host (connection refused, DNS, reset);
 * - `timeout`: no complete answer within the request timeout (the request is cancelled);
 * - `server`: the server answered an error of its own (5xx, busy, an error mid-stream, a cut stream);
 * - `bad-output`: the model answered, but not JSON matching the schema (or cut at `num_predict`);
 * - `unknown-model`: the model is not pulled on that server;
 * - `unsupported`: the model cannot do this (an embedding model asked to chat);
 * - `refused`: the server refused the request as malformed (a 4xx we did not expect);
 * - `cancelled`: the caller's own signal stopped it.
 */
export type ModelFailureKind =
  | 'unreachable'
  | 'timeout'
  | 'server'
  | 'bad-output'
  | 'unknown-model'
  | 'unsupported'
  | 'refused'
  | 'cancelled';

const passing: ReadonlySet<ModelFailureKind> = new Set(['unreachable', 'timeout', 'server', 'bad-output']);

export class ModelFailure extends Error {
  override readonly name = 'ModelFailure';
  readonly model: string | undefined;

  constructor(
    readonly kind: ModelFailureKind,
    message: string,
    options: { cause?: unknown; model?: string } = {},
  ) {
    super(message, { cause: options.cause });
    this.model = options.model;
  }

  /**
   * Worth trying again after a pause: the server or the model may do better next time. The others
   * are configuration faults (a model not pulled, a model that cannot chat) that retrying, or hiding
   * behind offline drafts, would only conceal.
   */
  get transient(): boolean {
    return passing.has(this.kind);
  }
}
