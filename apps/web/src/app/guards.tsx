import { Navigate, Outlet, useLocation, useSearchParams } from 'react-router';
import { Loading } from '../components/feedback.js';
import { useSession } from '../lib/session/use-session.js';

/** Only paths inside this app are followed after sign-in ("//evil.example" is not one). */
export function safeNext(value: string | null): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/searches';
  return value;
}

/** Pages for signed-in people: others are sent to sign in and brought back afterwards. */
export function RequireSession() {
  const state = useSession();
  const location = useLocation();
  if (state.status === 'restoring') return <Loading label="Checking your session…" />;
  if (state.status === 'signed-out') {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/sign-in?next=${encodeURIComponent(next)}`} replace state={state.notice ? { notice: state.notice } : null} />;
  }
  return <Outlet />;
}

/** Sign-in, sign-up and forgotten password: someone signed in goes on to where they were headed. */
export function GuestOnly() {
  const state = useSession();
  const [params] = useSearchParams();
  if (state.status === 'restoring') return <Loading label="Checking your session…" />;
  if (state.status === 'signed-in') return <Navigate to={safeNext(params.get('next'))} replace />;
  return <Outlet />;
}
