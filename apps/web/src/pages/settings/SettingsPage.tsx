import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button } from '../../components/Button.js';
import { ErrorMessage, Notice } from '../../components/feedback.js';
import { CheckboxField, TextField } from '../../components/Field.js';
import { PageTitle } from '../../components/PageTitle.js';
import { usersApi, type Account } from '../../lib/api/users.js';
import { session } from '../../lib/session/session-store.js';
import { useAccount } from '../../lib/session/use-session.js';
import { useAction } from '../../lib/use-action.js';

function ProfileForm({ account }: { account: Account }) {
  const [displayName, setDisplayName] = useState(account.displayName);
  const [saved, setSaved] = useState(false);
  const save = useAction(async () => {
    session.updateUser(await usersApi.updateMe({ displayName: displayName.trim() }));
    setSaved(true);
  });
  return (
    <form
      className="stack"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        setSaved(false);
        void save.run();
      }}
    >
      <p>
        Signed in as <strong>{account.email}</strong>
      </p>
      <TextField label="Display name" name="displayName" required maxLength={100} value={displayName} onChange={(e) => setDisplayName(e.target.value)} error={save.fieldErrors.displayName} />
      <ErrorMessage error={save.error?.code === 'VALIDATION_FAILED' ? undefined : save.error} prefix="Could not save" />
      {saved ? <p role="status">Saved.</p> : null}
      <Button type="submit" busy={save.busy} busyLabel="Saving…">
        Save name
      </Button>
    </form>
  );
}

function ChangePasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);
  const change = useAction(async () => {
    await usersApi.changePassword(current, next);
    setCurrent('');
    setNext('');
    setAgain('');
    setDone(true);
  });
  const code = change.error?.code;
  return (
    <form
      className="stack"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        setDone(false);
        setMismatch(next !== again);
        if (next === again) void change.run();
      }}
    >
      <TextField
        label="Current password"
        type="password"
        name="currentPassword"
        autoComplete="current-password"
        required
        value={current}
        onChange={(e) => setCurrent(e.target.value)}
        error={code === 'INVALID_PASSWORD' ? 'This is not your current password.' : change.fieldErrors.currentPassword}
      />
      <TextField
        label="New password"
        type="password"
        name="newPassword"
        autoComplete="new-password"
        required
        minLength={12}
        maxLength={128}
        hint="At least 12 characters."
        value={next}
        onChange={(e) => setNext(e.target.value)}
        error={code === 'WEAK_PASSWORD' ? change.error?.message : change.fieldErrors.newPassword}
      />
      <TextField
        label="New password, again"
        type="password"
        name="confirmPassword"
        autoComplete="new-password"
        required
        value={again}
        onChange={(e) => setAgain(e.target.value)}
        error={mismatch ? 'The two passwords differ.' : undefined}
      />
      <ErrorMessage error={code && code !== 'INVALID_PASSWORD' && code !== 'WEAK_PASSWORD' && code !== 'VALIDATION_FAILED' ? change.error : undefined} prefix="Could not change the password" />
      {done ? <p role="status">Password changed. Your other devices are signed out.</p> : null}
      <Button type="submit" busy={change.busy} busyLabel="Changing…">
        Change password
      </Button>
    </form>
  );
}

function DeleteAccountForm() {
  const navigate = useNavigate();
  const [password, setPassword] = useState('');
  const [sure, setSure] = useState(false);
  const remove = useAction(async () => {
    await usersApi.deleteMe(password);
    try {
      await session.signOut('Your account is deleted.');
    } catch {
      session.forget('Your account is deleted.');
    }
    navigate('/sign-in', { replace: true, state: { notice: 'Your account and everything in it are deleted.' } });
  });
  const code = remove.error?.code;
  return (
    <form
      className="stack"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        void remove.run();
      }}
    >
      <p>This deletes your account, your searches, watches, drafts, channels and posts. It cannot be undone.</p>
      <TextField
        label="Your password"
        type="password"
        name="deletePassword"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={code === 'INVALID_PASSWORD' ? 'This is not your password.' : remove.fieldErrors.password}
      />
      <CheckboxField label="I understand that this cannot be undone" name="sure" required checked={sure} onChange={(e) => setSure(e.target.checked)} />
      <ErrorMessage error={code && code !== 'INVALID_PASSWORD' && code !== 'VALIDATION_FAILED' ? remove.error : undefined} prefix="Could not delete the account" />
      <Button type="submit" variant="danger" busy={remove.busy} busyLabel="Deleting…" disabled={!sure}>
        Delete my account
      </Button>
    </form>
  );
}

export default function SettingsPage() {
  const account = useAccount();
  if (!account) return null;
  return (
    <section className="narrow">
      <PageTitle>Settings</PageTitle>
      <Notice>
        <p>
          Choose which emails you get in your <Link to="/settings/notifications">notification settings</Link>.
        </p>
      </Notice>
      <section aria-labelledby="profile" className="panel">
        <h2 id="profile">Profile</h2>
        <ProfileForm account={account} />
      </section>
      <section aria-labelledby="password" className="panel">
        <h2 id="password">Password</h2>
        <ChangePasswordForm />
      </section>
      <section aria-labelledby="delete" className="panel danger-zone">
        <h2 id="delete">Delete account</h2>
        <DeleteAccountForm />
      </section>
    </section>
  );
}
