import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Button } from '../../components/Button.js';
import { ErrorMessage, Notice } from '../../components/feedback.js';
import { TextField } from '../../components/Field.js';
import { PageTitle } from '../../components/PageTitle.js';
import { usersApi } from '../../lib/api/users.js';
import { useAction } from '../../lib/use-action.js';

export default function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [sentTo, setSentTo] = useState<string | undefined>(undefined);
  const forgot = useAction(async () => {
    await usersApi.forgotPassword(email);
    setSentTo(email);
  });

  return (
    <section className="narrow">
      <PageTitle>Reset your password</PageTitle>
      {sentTo ? (
        <Notice>
          <p>
            If an account exists for <strong>{sentTo}</strong>, we sent it a link to choose a new password. The link works for an hour,
            once.
          </p>
        </Notice>
      ) : (
        <>
          <p>Enter the email address of your account and we will send you a link to choose a new password.</p>
          <form
            className="stack"
            onSubmit={(event: FormEvent) => {
              event.preventDefault();
              void forgot.run();
            }}
          >
            <TextField label="Email" type="email" name="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} error={forgot.fieldErrors.email} />
            <ErrorMessage error={forgot.error?.code === 'VALIDATION_FAILED' ? undefined : forgot.error} />
            <Button type="submit" busy={forgot.busy} busyLabel="Sending…">
              Send the link
            </Button>
          </form>
        </>
      )}
      <p>
        <Link to="/sign-in">Back to sign in</Link>
      </p>
    </section>
  );
}
