/**
 * An expected outcome of a service's own rules ("email taken", "no such search"), thrown by use
 * cases and domain code that know nothing of HTTP. Each service declares its codes in
 * `src/domain/errors.ts` and, at the edge, the status each code answers with
 * (`buildServiceApp({ domainErrors })`); the error handler turns one into
 * `{ error: message, code, details? }` with that status.
 */
export class DomainError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly details: unknown;
  /** When trying again makes sense: answered as `Retry-After` (seconds). */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: Code, message: string, o: { details?: unknown; retryAfterSeconds?: number; cause?: unknown } = {}) {
    super(message, o.cause === undefined ? undefined : { cause: o.cause });
    this.name = 'DomainError';
    this.code = code;
    this.details = o.details;
    this.retryAfterSeconds = o.retryAfterSeconds === undefined ? undefined : Math.max(1, Math.ceil(o.retryAfterSeconds));
  }
}

/** The HTTP status of every code a service's domain errors carry: the one mapping at the edge. */
export type DomainErrorStatuses<Code extends string = string> = Readonly<Record<Code, number>>;
