import type { ReactNode } from 'react';
import { asApiError } from '../lib/use-action.js';

/** An error about the action or section it sits beside; announced as soon as it appears. */
export function ErrorMessage({ error, prefix, children }: { error?: unknown; prefix?: string; children?: ReactNode }) {
  if (!error && !children) return null;
  const text = error ? asApiError(error).message : undefined;
  return (
    <div className="alert alert-error" role="alert">
      <p>
        {prefix ? `${prefix}: ` : null}
        {text}
      </p>
      {children}
    </div>
  );
}

/** A success or progress note, announced politely. */
export function Notice({ children }: { children: ReactNode }) {
  return (
    <div className="alert alert-info" role="status">
      {children}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

/** A loading, failed or loaded section: the common shape of every page that reads data. */
export function LoadState<T>({
  resource,
  what,
  children,
}: {
  resource: { data: T | undefined; error: unknown; loading: boolean; reload: () => void };
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (resource.data !== undefined) {
    return (
      <>
        {resource.error ? (
          <ErrorMessage error={resource.error} prefix={`Could not refresh ${what}`}>
            <button type="button" className="button-secondary" onClick={resource.reload}>
              Try again
            </button>
          </ErrorMessage>
        ) : null}
        {children(resource.data)}
      </>
    );
  }
  if (resource.error) {
    return (
      <ErrorMessage error={resource.error} prefix={`Could not load ${what}`}>
        <button type="button" className="button-secondary" onClick={resource.reload}>
          Try again
        </button>
      </ErrorMessage>
    );
  }
  return <Loading label={`Loading ${what}…`} />;
}
