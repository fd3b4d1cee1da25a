import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Loads again (keeps showing the current data meanwhile). */
  reload: () => void;
  /** Replaces the data after a change this page made itself. */
  setData: (update: T | ((current: T | undefined) => T)) => void;
}

/**
 * Loads data for a page and, while `pollMs(data)` returns a number, loads it again that often
 * (a search that is still running, say). Answers to superseded loads are dropped.
 */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[], o: { pollMs?: (data: T) => number | undefined } = {}): Resource<T> {
  const [data, setDataState] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  const pollRef = useRef(o.pollMs);
  // The newest loader and poll rule, without reloading when only their identity changes.
  useLayoutEffect(() => {
    loadRef.current = load;
    pollRef.current = o.pollMs;
  });

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = () => {
      setLoading(true);
      loadRef.current(controller.signal).then(
        (value) => {
          if (controller.signal.aborted) return;
          setDataState(value);
          setError(undefined);
          setLoading(false);
          const again = pollRef.current?.(value);
          if (again !== undefined) timer = setTimeout(run, again);
        },
        (failure: unknown) => {
          if (controller.signal.aborted) return;
          setError(failure);
          setLoading(false);
        },
      );
    };
    run();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's deps decide when to load afresh
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  const setData = useCallback((update: T | ((current: T | undefined) => T)) => {
    setDataState((current) => (typeof update === 'function' ? (update as (c: T | undefined) => T)(current) : update));
  }, []);
  return { data, error, loading, reload, setData };
}
