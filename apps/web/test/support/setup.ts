import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

// Pages are lazy chunks: the first render of each waits for its module to load.
import { configure } from '@testing-library/react';
configure({ asyncUtilTimeout: 5_000 });
