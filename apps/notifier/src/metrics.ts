import { Counter, Histogram, type Registry } from 'prom-client';

export type EmailMetricOutcome = 'sent' | 'skipped_opted_out' | 'skipped_user_deleted' | 'retried' | 'failed';

/** The notifier's own metrics, registered beside the service kit's on the same /metrics. */
export interface NotifierMetrics {
  emails: Counter<'template' | 'outcome'>;
  /** From the event's occurredAt to the SMTP server accepting the mail. */
  deliverySeconds: Histogram<'template'>;
  projectionChanges: Counter<'change' | 'outcome'>;
}

export function createNotifierMetrics(registry: Registry): NotifierMetrics {
  return {
    emails: new Counter({
      name: 'notifier_emails_total',
      help: 'Mail jobs by template and outcome (sent, skipped_opted_out, skipped_user_deleted, retried, failed)',
      labelNames: ['template', 'outcome'] as const,
      registers: [registry],
    }),
    deliverySeconds: new Histogram({
      name: 'notifier_email_delivery_seconds',
      help: 'Time from the event happening to the SMTP server accepting its mail',
      labelNames: ['template'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 1800],
      registers: [registry],
    }),
    projectionChanges: new Counter({
      name: 'notifier_recipient_changes_total',
      help: 'Recipient projection changes by kind (upsert, erase) and outcome (applied, stale, deleted, erased, already-erased)',
      labelNames: ['change', 'outcome'] as const,
      registers: [registry],
    }),
  };
}
