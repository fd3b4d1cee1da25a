import { Counter, type Registry } from 'prom-client';

export type GenerationMetricOutcome = 'completed' | 'fallback' | 'failed';

/** The thinker's own metrics, registered beside the service kit's on the same /metrics. */
export interface ThinkerMetrics {
  /** Finished generations by outcome (completed, fallback: written offline after the model failed, failed) and model. */
  generations: Counter<'outcome' | 'model'>;
}

export function createThinkerMetrics(registry: Registry): ThinkerMetrics {
  return {
    generations: new Counter({
      name: 'thinker_generations_total',
      help: 'Finished generations by outcome (completed, fallback, failed) and the model that wrote (or was to write) the drafts',
      labelNames: ['outcome', 'model'] as const,
      registers: [registry],
    }),
  };
}
