import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Button } from '../../components/Button.js';
import { ErrorMessage, Notice } from '../../components/feedback.js';
import { TextField } from '../../components/Field.js';
import { PageTitle } from '../../components/PageTitle.js';
import { usersApi } from '../../lib/api/users.js';
import { useAction } from '../../lib/use-action.js';

export default function SignUpPage() {
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [registered, setRegistered] = useState<string | undefined>(undefined);
  const register = useAction(async () => {
    const account = await usersApi.register({ email, password, displayName });
    setRegistered(account.email);
  });
  const resend = useAction(() => usersApi.resendVerification(registered ?? email));
  const [resent, setResent] = useState(false);

  if (registered) {
    return (
      <section className="narrow">
        <PageTitle>Check your inbox</PageTitle>
        <Notice>
          <p>
            We sent a confirmation link to <strong>{registered}</strong>. Open it to confirm your address, then sign in.
          </p>
        </Notice>
        {resent ? <p role="status">A new link is on its way.</p> : null}
        <ErrorMessage error={resend.error} prefix="Could not send the email" />
        <p>
          No email after a few minutes?{' '}
          <Button variant="secondary" busy={resend.busy} busyLabel="Sending…" onClick={async () => setResent(await resend.run())}>
            Send it again
          </Button>
        </p>
        <p>
          <Link to="/sign-in">Go to sign in</Link>
        </p>
      </section>
    );
  }

  const errors = register.fieldErrors;
  const code = register.error?.code;
  const emailError = code === 'EMAIL_TAKEN' ? 'An account with this email already exists.' : errors.email;
  const passwordError = code === 'WEAK_PASSWORD' ? register.error?.message : errors.password;
  const formError = code === 'EMAIL_TAKEN' || code === 'WEAK_PASSWORD' || code === 'VALIDATION_FAILED' ? undefined : register.error;

  return (
    <section className="narrow">
      <PageTitle>Create your account</PageTitle>
      <form
        className="stack"
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          void register.run();
        }}
      >
        <TextField label="Email" type="email" name="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} error={emailError} />
        {code === 'EMAIL_TAKEN' ? (
          <p className="field-aside">
            <Link to="/sign-in">Sign in</Link> or <Link to="/forgot-password">reset your password</Link>.
          </p>
        ) : null}
        <TextField
          label="Your name"
          name="displayName"
          autoComplete="name"
          required
          maxLength={100}
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
          error={errors.displayName}
        />
        <TextField
          label="Password"
          type="password"
          name="password"
          autoComplete="new-password"
          required
          minLength={12}
          maxLength={128}
          hint="At least 12 characters. A few unrelated words make a good one."
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={passwordError}
        />
        <ErrorMessage error={formError} />
        <Button type="submit" busy={register.busy} busyLabel="Creating your account…">
          Create account
        </Button>
      </form>
      <p>
        Already have an account? <Link to="/sign-in">Sign in</Link>
      </p>
    </section>
  );
}
