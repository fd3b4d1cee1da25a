import { useState, type FormEvent } from 'react';
import { Button } from '../../components/Button.js';
import { ErrorMessage, Notice } from '../../components/feedback.js';
import { TextField } from '../../components/Field.js';
import { usersApi } from '../../lib/api/users.js';
import { useAction } from '../../lib/use-action.js';

/** Asks for a fresh confirmation link; the answer never says whether the address has an account. */
export function ResendVerificationForm() {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const resend = useAction(() => usersApi.resendVerification(email));
  if (sent) return <Notice>If {email} has an account waiting for confirmation, a new link is on its way.</Notice>;
  return (
    <form
      className="stack"
      onSubmit={async (event: FormEvent) => {
        event.preventDefault();
        setSent(await resend.run());
      }}
    >
      <TextField label="Email" type="email" name="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} error={resend.fieldErrors.email} />
      <ErrorMessage error={resend.error?.code === 'VALIDATION_FAILED' ? undefined : resend.error} />
      <Button type="submit" busy={resend.busy} busyLabel="Sending…">
        Send a new link
      </Button>
    </form>
  );
}
