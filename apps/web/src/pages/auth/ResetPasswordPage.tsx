import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Button } from '../../components/Button.js';
import { ErrorMessage } from '../../components/feedback.js';
import { TextField } from '../../components/Field.js';
import { PageTitle } from '../../components/PageTitle.js';
import { usersApi } from '../../lib/api/users.js';
import { session } from '../../lib/session/session-store.js';
import { useAction } from '../../lib/use-action.js';

/** The page the password-reset email links to. */
export default function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const reset = useAction(async () => {
    await usersApi.resetPassword(token, password);
    // A reset ends every session of the account, this one included.
    if (session.getState().status === 'signed-in') session.forget();
    navigate('/sign-in', { replace: true, state: { notice: 'Your password is changed. Sign in with the new one.' } });
  });

  const code = reset.error?.code;
  const linkBroken = !token || code === 'TOKEN_INVALID' || code === 'TOKEN_EXPIRED' || (code === 'VALIDATION_FAILED' && 'token' in reset.fieldErrors);

  return (
    <section className="narrow">
      <PageTitle>Choose a new password</PageTitle>
      {linkBroken ? (
        <ErrorMessage error={token ? reset.error : undefined}>
          {!token ? <p>This link has no reset code. Open the link from the email again.</p> : null}
          <p>
            <Link to="/forgot-password">Ask for a new link</Link>
          </p>
        </ErrorMessage>
      ) : null}
      {token ? (
        <form
          className="stack"
          onSubmit={(event: FormEvent) => {
            event.preventDefault();
            if (password !== confirmation) {
              setMismatch(true);
              return;
            }
            setMismatch(false);
            void reset.run();
          }}
        >
          <TextField
            label="New password"
            type="password"
            name="newPassword"
            autoComplete="new-password"
            required
            minLength={12}
            maxLength={128}
            hint="At least 12 characters."
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={code === 'WEAK_PASSWORD' ? reset.error?.message : reset.fieldErrors.newPassword}
          />
          <TextField
            label="New password, again"
            type="password"
            name="confirmPassword"
            autoComplete="new-password"
            required
            value={confirmation}
            onChange={(e) => setConfirmation(e.target.value)}
            error={mismatch ? 'The two passwords differ.' : undefined}
          />
          {!linkBroken && code !== 'WEAK_PASSWORD' && code !== 'VALIDATION_FAILED' ? <ErrorMessage error={reset.error} /> : null}
          <Button type="submit" busy={reset.busy} busyLabel="Saving…">
            Save the new password
          </Button>
        </form>
      ) : null}
    </section>
  );
}
