import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { safeNext } from '../../app/guards.js';
import { Button } from '../../components/Button.js';
import { ErrorMessage, Notice } from '../../components/feedback.js';
import { TextField } from '../../components/Field.js';
import { PageTitle } from '../../components/PageTitle.js';
import { usersApi } from '../../lib/api/users.js';
import { session } from '../../lib/session/session-store.js';
import { useSession } from '../../lib/session/use-session.js';
import { useAction } from '../../lib/use-action.js';

export default function SignInPage() {
  const [params] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const state = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useAction(async () => {
    await session.signIn(email, password);
    navigate(safeNext(params.get('next')), { replace: true });
  });
  const resend = useAction(() => usersApi.resendVerification(email));
  const [resent, setResent] = useState(false);

  const notice = (location.state as { notice?: string } | null)?.notice ?? (state.status === 'signed-out' ? state.notice : undefined);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setResent(false);
    void signIn.run();
  };

  return (
    <section className="narrow">
      <PageTitle>Sign in</PageTitle>
      {notice ? <Notice>{notice}</Notice> : null}
      <form onSubmit={onSubmit} className="stack">
        <TextField label="Email" type="email" name="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} error={signIn.fieldErrors.email} />
        <TextField
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={signIn.fieldErrors.password}
        />
        <ErrorMessage error={signIn.error?.code === 'VALIDATION_FAILED' ? undefined : signIn.error}>
          {signIn.error?.code === 'EMAIL_NOT_VERIFIED' ? (
            resent ? (
              <p>We sent a new confirmation link to {email}.</p>
            ) : (
              <Button variant="secondary" busy={resend.busy} busyLabel="Sending…" onClick={async () => setResent(await resend.run())}>
                Send the confirmation email again
              </Button>
            )
          ) : null}
        </ErrorMessage>
        {resend.error ? <ErrorMessage error={resend.error} prefix="Could not send the email" /> : null}
        <Button type="submit" busy={signIn.busy} busyLabel="Signing in…">
          Sign in
        </Button>
      </form>
      <p>
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
      <p>
        New to Trendcast? <Link to={`/sign-up${location.search}`}>Create an account</Link>
      </p>
    </section>
  );
}
