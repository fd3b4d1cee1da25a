import type { MessagingMetrics as MessagingPackageMetrics } from '@trendcast/messaging';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../src/index.js';

describe('metrics for @trendcast/messaging', () => {
  it('when handed to the messaging package, then the service metrics fit its interface', () => {
    // Compile-time check: fails typecheck if the two interfaces drift apart.
    const metrics: MessagingPackageMetrics = createMetrics('svc', { defaultMetrics: false }).messaging;

    expect(typeof metrics.onReconnect).toBe('function');
    expect(typeof metrics.onPublishFailed).toBe('function');
  });
});
