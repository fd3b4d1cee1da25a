import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Button } from '../../components/Button.js';
import { ErrorMessage, LoadState } from '../../components/feedback.js';
import { CheckboxField } from '../../components/Field.js';
import { PageTitle } from '../../components/PageTitle.js';
import { notificationKinds, usersApi, type Account, type NotificationKind } from '../../lib/api/users.js';
import { session } from '../../lib/session/session-store.js';
import { useAction } from '../../lib/use-action.js';
import { useResource } from '../../lib/use-resource.js';

const descriptions: Record<NotificationKind, { label: string; hint: string }> = {
  searchFailed: { label: 'A search failed', hint: 'When Google Trends could not answer one of your searches.' },
  draftsReady: { label: 'Drafts are ready', hint: 'When new drafts are written and wait for your review.' },
  postPublished: { label: 'A post was published', hint: 'With a link to the live post.' },
  postFailed: { label: 'A post could not be published', hint: 'With the reason, so you can fix and reschedule it.' },
  generationFailed: { label: 'Drafts could not be written', hint: 'When writing drafts failed.' },
};

function PreferencesForm({ account }: { account: Account }) {
  const [preferences, setPreferences] = useState(account.notificationPreferences);
  const [saved, setSaved] = useState(false);
  const save = useAction(async () => {
    const updated = await usersApi.updateMe({ notificationPreferences: preferences });
    session.updateUser(updated);
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
      <fieldset className="fieldset">
        <legend>Email me when…</legend>
        {notificationKinds.map((kind) => (
          <CheckboxField
            key={kind}
            name={kind}
            label={descriptions[kind].label}
            hint={descriptions[kind].hint}
            checked={preferences[kind]}
            onChange={(e) => {
              setSaved(false);
              setPreferences({ ...preferences, [kind]: e.target.checked });
            }}
          />
        ))}
      </fieldset>
      <p className="field-hint">Emails about your account&apos;s security (confirming your address, resetting or changing your password) are always sent.</p>
      <ErrorMessage error={save.error} prefix="Could not save your preferences" />
      {saved ? <p role="status">Your notification preferences are saved.</p> : null}
      <Button type="submit" busy={save.busy} busyLabel="Saving…">
        Save preferences
      </Button>
    </form>
  );
}

/** Where every email's unsubscribe note leads. */
export default function NotificationSettingsPage() {
  const account = useResource((signal) => usersApi.me(signal), []);
  return (
    <section className="narrow">
      <PageTitle>Notification settings</PageTitle>
      <p>
        <Link to="/settings">All settings</Link>
      </p>
      <LoadState resource={account} what="your preferences">
        {(data) => <PreferencesForm account={data} />}
      </LoadState>
    </section>
  );
}
