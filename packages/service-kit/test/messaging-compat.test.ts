import type { MessagingMetrics as MessagingPackageMetrics } from '@trendcast/messaging';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../src/index.js';

describe('metrics for @trendcast/messaging', () => {
  it('when handed to the messaging package, then every hook it offers is counted, the optional ones too', () => {
    const metrics: MessagingPackageMetrics = createMetrics('svc', { defaultMetrics: false }).messaging;

    expect(typeof metrics.onReconnect).toBe('function');
    expect(typeof metrics.onPublishFailed).toBe('function');
  });
});
