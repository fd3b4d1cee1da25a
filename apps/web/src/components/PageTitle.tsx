import { useEffect, useRef, type ReactNode } from 'react';
import { useLocation } from 'react-router';

/**
 * The page's one h1. After an in-app navigation it takes the focus, so keyboard and screen-reader
 * users start on the new page (the first load leaves the focus where the browser puts it).
 */
export function PageTitle({ children, title }: { children: ReactNode; title?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const location = useLocation();
  const text = title ?? (typeof children === 'string' ? children : undefined);

  useEffect(() => {
    if (text) document.title = `${text} · Trendcast`;
  }, [text]);

  useEffect(() => {
    if (location.key !== 'default') ref.current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the page first appears
  }, []);

  return (
    <h1 ref={ref} tabIndex={-1} className="page-title">
      {children}
    </h1>
  );
}
