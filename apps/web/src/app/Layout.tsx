import { useState } from 'react';
import { Link, NavLink, Outlet, useNavigate } from 'react-router';
import { session } from '../lib/session/session-store.js';
import { useSession } from '../lib/session/use-session.js';

const signedInLinks = [
  ['/searches', 'Searches'],
  ['/watches', 'Watches'],
  ['/drafts', 'Drafts'],
  ['/posts', 'Posts'],
  ['/channels', 'Channels'],
  ['/timeline', 'Timeline'],
  ['/settings', 'Settings'],
] as const;

function SignOutButton() {
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  return (
    <>
      <button
        type="button"
        className="button-link"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setFailed(false);
          try {
            await session.signOut();
            navigate('/sign-in', { replace: true, state: { notice: 'You are signed out.' } });
          } catch {
            // The session is forgotten here either way; the server will let the cookie expire.
            setFailed(true);
            navigate('/sign-in', { replace: true, state: { notice: 'You are signed out on this device.' } });
          } finally {
            setBusy(false);
          }
        }}
      >
        {busy ? 'Signing out…' : 'Sign out'}
      </button>
      {failed ? <span className="visually-hidden" role="status">Signing out on the server failed.</span> : null}
    </>
  );
}

export function Layout() {
  const state = useSession();
  const signedIn = state.status === 'signed-in';
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <Link to="/" className="brand">
          Trendcast
        </Link>
        <nav aria-label="Main">
          <ul>
            {signedIn ? (
              <>
                {signedInLinks.map(([to, label]) => (
                  <li key={to}>
                    <NavLink to={to}>{label}</NavLink>
                  </li>
                ))}
                <li>
                  <SignOutButton />
                </li>
              </>
            ) : (
              <>
                <li>
                  <NavLink to="/timeline">Timeline</NavLink>
                </li>
                <li>
                  <NavLink to="/sign-in">Sign in</NavLink>
                </li>
                <li>
                  <NavLink to="/sign-up">Sign up</NavLink>
                </li>
              </>
            )}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
