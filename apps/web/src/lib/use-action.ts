import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import { ApiError, isApiError } from './api/errors.js';

export interface Action<A extends unknown[]> {
  busy: boolean;
  /** The last failure, readable; undefined after a success or a new attempt. */
  error: ApiError | undefined;
  /** Messages per field from the last failure. */
  fieldErrors: Record<string, string>;
  run: (...args: A) => Promise<boolean>;
  clear: () => void;
}

function asApiError(error: unknown): ApiError {
  if (isApiError(error)) return error;
  return new ApiError(0, 'UNEXPECTED', 'Something went wrong in this page. Reload it and try again.');
}

/** Runs one user action (a form, a button) with its busy state and its readable error. */
export function useAction<A extends unknown[]>(work: (...args: A) => Promise<unknown>): Action<A> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const running = useRef(false);
  const workRef = useRef(work);
  useLayoutEffect(() => {
    workRef.current = work;
  });

  const run = useCallback(async (...args: A) => {
    if (running.current) return false;
    running.current = true;
    setBusy(true);
    setError(undefined);
    try {
      await workRef.current(...args);
      return true;
    } catch (failure) {
      setError(asApiError(failure));
      return false;
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);

  const clear = useCallback(() => setError(undefined), []);
  return { busy, error, fieldErrors: error?.fieldErrors() ?? {}, run, clear };
}

export { asApiError };
