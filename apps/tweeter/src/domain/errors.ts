/**
 * Errors the domain raises for outcomes a caller must handle; each has a stable `code` the routes
 * turn into the API's error body (409 for state conflicts, 422 for text, 400 for bad input).
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
}

export class PostNotEditableError extends DomainError {
  override readonly name = 'PostNotEditableError';
  readonly code = 'POST_NOT_EDITABLE';
  constructor(readonly status: string) {
    super(`a post can be changed only while it is scheduled; this one is ${status}`);
  }
}

export class InvalidPostTransitionError extends DomainError {
  override readonly name = 'InvalidPostTransitionError';
  readonly code = 'POST_STATE_CONFLICT';
  constructor(
    readonly from: string,
    readonly event: string,
    why?: string,
  ) {
    super(why ?? `a ${from} post cannot be ${describeEvent(event)}`);
  }
}

export class TextTooLongError extends DomainError {
  override readonly name = 'TextTooLongError';
  readonly code = 'TEXT_TOO_LONG';
  constructor(
    readonly length: number,
    readonly maxCharacters: number,
  ) {
    super(`the text counts ${length} characters; this channel allows ${maxCharacters}`);
  }
}

export class EmptyTextError extends DomainError {
  override readonly name = 'EmptyTextError';
  readonly code = 'TEXT_EMPTY';
  constructor() {
    super('the text is empty');
  }
}

export class InvalidHandleError extends DomainError {
  override readonly name = 'InvalidHandleError';
  readonly code = 'INVALID_HANDLE';
  constructor(readonly handle: string) {
    super('a handle has 3 to 30 characters: lower-case letters, digits and underscores');
  }
}

function describeEvent(event: string): string {
  return (
    {
      start_publishing: 'published',
      published: 'marked published',
      failed: 'marked failed',
      cancel: 'cancelled',
      edit: 'edited',
      reschedule: 'rescheduled',
    }[event] ?? event
  );
}
