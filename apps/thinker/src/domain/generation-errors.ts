/** The generation was stopped by its caller (shutdown, job cancelled): not a failure to report, work to resume. */
export class GenerationCancelledError extends Error {
  override readonly name = 'GenerationCancelledError';
  readonly code = 'GENERATION_CANCELLED';

  constructor(options: { cause?: unknown } = {}) {
    super('the generation was cancelled', options);
  }
}
