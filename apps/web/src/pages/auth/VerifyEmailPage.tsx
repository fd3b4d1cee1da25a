import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ErrorMessage, Loading, Notice } from '../../components/feedback.js';
import { PageTitle } from '../../components/PageTitle.js';
import { usersApi } from '../../lib/api/users.js';
import { useSession } from '../../lib/session/use-session.js';
import { asApiError } from '../../lib/use-action.js';
import { ResendVerificationForm } from './ResendVerificationForm.js';

/** One confirmation per token, even when React runs the effect twice or the page re-renders. */
const confirmations = new Map<string, Promise<void>>();
function confirmOnce(token: string): Promise<void> {
  let pending = confirmations.get(token);
  if (!pending) {
    pending = usersApi.verifyEmail(token);
    confirmations.set(token, pending);
  }
  return pending;
}

type Outcome = { kind: 'working' } | { kind: 'confirmed' } | { kind: 'failed'; error: unknown };

/** The page the confirmation email links to: it confirms the address as soon as it opens. */
export default function VerifyEmailPage() {
  const [params] = useSearchParams();
  const token = params.get('token');
  const state = useSession();
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'working' });

  useEffect(() => {
    if (!token) return;
    let current = true;
    confirmOnce(token).then(
      () => current && setOutcome({ kind: 'confirmed' }),
      (error: unknown) => current && setOutcome({ kind: 'failed', error }),
    );
    return () => {
      current = false;
    };
  }, [token]);

  if (!token) {
    return (
      <section className="narrow">
        <PageTitle>Confirm your email</PageTitle>
        <ErrorMessage>
          <p>This link has no confirmation code. Open the link from the email again, or ask for a new one.</p>
        </ErrorMessage>
        <ResendVerificationForm />
      </section>
    );
  }
  if (outcome.kind === 'working') {
    return (
      <section className="narrow">
        <PageTitle>Confirm your email</PageTitle>
        <Loading label="Confirming your email address…" />
      </section>
    );
  }
  if (outcome.kind === 'confirmed') {
    return (
      <section className="narrow">
        <PageTitle>Email confirmed</PageTitle>
        <Notice>
          <p>Your email address is confirmed.</p>
        </Notice>
        <p>{state.status === 'signed-in' ? <Link to="/searches">Go to your searches</Link> : <Link to="/sign-in?next=%2Fsearches%2Fnew">Sign in to start your first search</Link>}</p>
      </section>
    );
  }
  const code = asApiError(outcome.error).code;
  return (
    <section className="narrow">
      <PageTitle>Confirm your email</PageTitle>
      <ErrorMessage error={outcome.error} prefix="We could not confirm your email" />
      {code === 'TOKEN_INVALID' || code === 'TOKEN_EXPIRED' || code === 'VALIDATION_FAILED' ? (
        <>
          <p>If you already confirmed it, just <Link to="/sign-in">sign in</Link>. Otherwise ask for a new link:</p>
          <ResendVerificationForm />
        </>
      ) : (
        <p>
          <button type="button" className="button-secondary" onClick={() => window.location.reload()}>
            Try again
          </button>
        </p>
      )}
    </section>
  );
}
