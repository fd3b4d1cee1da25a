import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { StatusBadge } from '../../components/badges.js';
import { Button } from '../../components/Button.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { Empty, ErrorMessage, LoadState, Notice } from '../../components/feedback.js';
import { TextField } from '../../components/Field.js';
import { PageTitle } from '../../components/PageTitle.js';
import { tweeterApi, type Channel } from '../../lib/api/tweeter.js';
import { useAction } from '../../lib/use-action.js';
import { useResource } from '../../lib/use-resource.js';

/** What the OAuth callback's `?error=<code>` means for the person who was sent back. */
const connectErrors: Record<string, string> = {
  access_denied: 'You did not allow Trendcast to post on that Mastodon account.',
  invalid_state: 'The connection request expired or was already used. Start again.',
  exchange_failed: 'The Mastodon instance did not confirm the connection. Try again in a moment.',
  instance_unreachable: 'The Mastodon instance could not be reached.',
};

/** Leaves for the Mastodon instance's consent page; the instance sends the browser back to /channels. */
function goTo(url: string) {
  window.location.assign(url);
}

function ConnectMastodonForm({ initial }: { initial?: { instanceUrl: string; name: string } }) {
  const [instanceUrl, setInstanceUrl] = useState(initial?.instanceUrl ?? '');
  const [name, setName] = useState(initial?.name ?? '');
  const connect = useAction(async () => {
    const url = /^https?:\/\//i.test(instanceUrl.trim()) ? instanceUrl.trim() : `https://${instanceUrl.trim()}`;
    const { authorizeUrl } = await tweeterApi.authorizeMastodon({ instanceUrl: url, name: name.trim() || new URL(url).host });
    goTo(authorizeUrl);
  });
  return (
    <form
      className="stack"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        void connect.run();
      }}
    >
      <TextField
        label="Mastodon instance"
        name="instanceUrl"
        required
        placeholder="mastodon.social"
        hint="The server your account lives on."
        value={instanceUrl}
        onChange={(e) => setInstanceUrl(e.target.value)}
        error={connect.fieldErrors.instanceUrl}
      />
      <TextField label="Name in Trendcast" name="name" placeholder="My Mastodon" value={name} onChange={(e) => setName(e.target.value)} error={connect.fieldErrors.name} />
      <ErrorMessage error={connect.error?.code === 'VALIDATION_FAILED' ? undefined : connect.error} prefix="Could not start the connection" />
      <Button type="submit" busy={connect.busy} busyLabel="Opening Mastodon…">
        Connect with Mastodon
      </Button>
    </form>
  );
}

function TimelineChannelForm({ onCreated }: { onCreated: (channel: Channel) => void }) {
  const [name, setName] = useState('');
  const [handle, setHandle] = useState('');
  const create = useAction(async () => {
    onCreated(await tweeterApi.createTimelineChannel({ name: name.trim(), handle: handle.trim().replace(/^@/, '') }));
    setName('');
    setHandle('');
  });
  return (
    <form
      className="stack"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        void create.run();
      }}
    >
      <TextField label="Name" name="name" required value={name} onChange={(e) => setName(e.target.value)} error={create.fieldErrors.name} />
      <TextField
        label="Handle"
        name="handle"
        required
        hint="Shown on the public timeline as @handle."
        value={handle}
        onChange={(e) => setHandle(e.target.value)}
        error={create.error?.code === 'HANDLE_TAKEN' ? create.error.message : create.fieldErrors.handle}
      />
      <ErrorMessage error={create.error && create.error.code !== 'VALIDATION_FAILED' && create.error.code !== 'HANDLE_TAKEN' ? create.error : undefined} prefix="Could not add the channel" />
      <Button type="submit" busy={create.busy} busyLabel="Adding…">
        Add timeline channel
      </Button>
    </form>
  );
}

function ChannelItem({ channel, onDeleted }: { channel: Channel; onDeleted: () => void }) {
  const [result, setResult] = useState<string | undefined>(undefined);
  const [reconnecting, setReconnecting] = useState(false);
  const test = useAction(async () => {
    setResult(undefined);
    const outcome = await tweeterApi.testChannel(channel.id);
    setResult(outcome.ok ? `Works${outcome.accountName ? `: posting as ${outcome.accountName}` : ''}.` : `Does not work: ${outcome.error ?? 'no reason given'}.`);
  });
  const remove = useAction(async () => {
    await tweeterApi.deleteChannel(channel.id);
    onDeleted();
  });
  return (
    <li className="card">
      <div className="card-head">
        <span className="card-title">{channel.name}</span>
        <StatusBadge status={channel.status} />
      </div>
      <p className="meta">
        {channel.kind === 'timeline' ? `Trendcast timeline · @${channel.handle ?? ''}` : `Mastodon · ${channel.accountName ?? ''} on ${channel.instanceUrl ?? ''}`} · up to{' '}
        {channel.maxCharacters} characters
      </p>
      {channel.status === 'needs_reconnection' ? (
        <ErrorMessage>
          <p>Mastodon no longer accepts Trendcast&apos;s access to this account. Reconnect it to keep publishing.</p>
          {reconnecting ? (
            <ConnectMastodonForm initial={{ instanceUrl: channel.instanceUrl ?? '', name: channel.name }} />
          ) : (
            <Button variant="secondary" onClick={() => setReconnecting(true)}>
              Reconnect
            </Button>
          )}
        </ErrorMessage>
      ) : null}
      <div className="actions">
        <Button variant="secondary" busy={test.busy} busyLabel="Testing…" onClick={() => void test.run()}>
          Test
        </Button>
        <ConfirmButton label="Remove" confirmLabel="Remove the channel" question="Remove this channel? Scheduled posts to it will fail." busy={remove.busy} onConfirm={() => void remove.run()} />
      </div>
      {result ? <p role="status">{result}</p> : null}
      <ErrorMessage error={test.error} prefix="Could not test" />
      <ErrorMessage error={remove.error} prefix="Could not remove" />
    </li>
  );
}

export default function ChannelsPage() {
  const [params] = useSearchParams();
  const connected = params.get('connected');
  const failed = params.get('error');
  const channels = useResource((signal) => tweeterApi.channels(signal), []);
  const connectedName = connected ? channels.data?.items.find((channel) => channel.id === connected)?.name : undefined;

  return (
    <section>
      <PageTitle>Channels</PageTitle>
      <p>Where your approved posts are published.</p>
      {connected ? <Notice>{connectedName ? `Connected ${connectedName}.` : 'Your Mastodon account is connected.'}</Notice> : null}
      {failed ? <ErrorMessage>{<p>{connectErrors[failed] ?? `The Mastodon connection failed (${failed}).`}</p>}</ErrorMessage> : null}
      <LoadState resource={channels} what="your channels">
        {(data) =>
          data.items.length === 0 ? (
            <Empty>
              <p>No channels yet. Add the Trendcast timeline or connect a Mastodon account below.</p>
            </Empty>
          ) : (
            <ul className="cards">
              {data.items.map((channel) => (
                <ChannelItem key={channel.id} channel={channel} onDeleted={() => channels.setData((current) => ({ items: (current?.items ?? []).filter((c) => c.id !== channel.id) }))} />
              ))}
            </ul>
          )
        }
      </LoadState>
      <div className="columns">
        <section aria-labelledby="add-timeline" className="panel">
          <h2 id="add-timeline">Trendcast timeline</h2>
          <TimelineChannelForm onCreated={(channel) => channels.setData((current) => ({ items: [...(current?.items ?? []), channel] }))} />
        </section>
        <section aria-labelledby="add-mastodon" className="panel">
          <h2 id="add-mastodon">Mastodon</h2>
          <ConnectMastodonForm />
        </section>
      </div>
    </section>
  );
}
