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

export interface DomainErrorOptions {
  /** In place of the code's usual message, e.g. "No such watch" for NOT_FOUND. */
  message?: string;
  details?: unknown;
  retryAfterSeconds?: number;
  cause?: unknown;
}

/**
 * A service's `xError(code, options?)` from its table of codes and their usual messages:
 * `export const trendsError = domainErrorFactory({ NOT_FOUND: 'Not found', … })`.
 */
export function domainErrorFactory<Code extends string>(messages: Readonly<Record<Code, string>>) {
  return (code: Code, o: DomainErrorOptions = {}): DomainError<Code> => new DomainError(code, o.message ?? messages[code], o);
}
