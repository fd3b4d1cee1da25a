import { countPostText, limitFor } from '@trendcast/post-text';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { SentimentBadge, StatusBadge } from '../../components/badges.js';
import { Button } from '../../components/Button.js';
import { CharacterCount } from '../../components/CharacterCount.js';
import { ErrorMessage, Notice } from '../../components/feedback.js';
import { CheckboxField, SelectField, TextAreaField, TextField } from '../../components/Field.js';
import { thinkerApi, type Draft } from '../../lib/api/thinker.js';
import type { Channel } from '../../lib/api/tweeter.js';
import { formatDateTime, fromLocalInput } from '../../lib/format.js';
import { useAction } from '../../lib/use-action.js';

export interface ChannelsState {
  channels: Channel[] | undefined;
  error: unknown;
}

/** One draft: read it, edit it with a live count, approve it for a channel and a time, or reject it. */
export function DraftCard({ draft, channels, onChange }: { draft: Draft; channels: ChannelsState; onChange: (draft: Draft) => void }) {
  const usable = (channels.channels ?? []).filter((channel) => channel.kind === draft.channel && channel.status === 'active');
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(draft.text);
  const [channelId, setChannelId] = useState<string>('');
  const [publishAt, setPublishAt] = useState('');
  const [override, setOverride] = useState(false);
  const [needsOverride, setNeedsOverride] = useState(false);
  const chosen = usable.find((channel) => channel.id === channelId) ?? usable[0];
  const limit = chosen?.maxCharacters ?? limitFor(draft.channel).maxCharacters;
  const count = countPostText(editing ? text : draft.text);

  const save = useAction(async () => {
    onChange(await thinkerApi.editDraft(draft.id, text));
    setEditing(false);
  });
  const approve = useAction(async () => {
    if (!chosen) return;
    const when = fromLocalInput(publishAt);
    try {
      onChange(await thinkerApi.approveDraft(draft.id, { channelId: chosen.id, ...(when ? { publishAt: when } : {}), ...(override ? { override: true } : {}) }));
    } catch (error) {
      if ((error as { code?: string }).code === 'NEGATIVE_SENTIMENT') setNeedsOverride(true);
      throw error;
    }
  });
  const reject = useAction(async () => onChange(await thinkerApi.rejectDraft(draft.id)));
  const askOverride = needsOverride || draft.sentiment.label === 'negative';

  return (
    <article className={`card draft sentiment-edge-${draft.sentiment.label}`} aria-label={`Draft: ${draft.text.slice(0, 60)}`}>
      <div className="card-head">
        <SentimentBadge sentiment={draft.sentiment} />
        <StatusBadge status={draft.status} />
      </div>
      {editing ? (
        <form
          className="stack"
          onSubmit={(event: FormEvent) => {
            event.preventDefault();
            void save.run();
          }}
        >
          <TextAreaField
            label="Text"
            name="text"
            rows={5}
            value={text}
            onChange={(e) => setText(e.target.value)}
            error={save.error?.code === 'DRAFT_TOO_LONG' ? save.error.message : save.fieldErrors.text}
            after={<CharacterCount count={count} limit={limit} />}
          />
          <ErrorMessage error={save.error && save.error.code !== 'DRAFT_TOO_LONG' && save.error.code !== 'VALIDATION_FAILED' ? save.error : undefined} prefix="Could not save" />
          <div className="actions">
            <Button type="submit" busy={save.busy} busyLabel="Saving…" disabled={count > limit || text.trim() === ''}>
              Save text
            </Button>
            <Button
              variant="secondary"
              onClick={() => {
                setText(draft.text);
                setEditing(false);
                save.clear();
              }}
            >
              Cancel
            </Button>
          </div>
        </form>
      ) : (
        <>
          <p className="draft-text">{draft.text}</p>
          <CharacterCount count={count} limit={limit} />
        </>
      )}
      {draft.status === 'draft' && !editing ? (
        <>
          <div className="actions">
            <Button variant="secondary" onClick={() => setEditing(true)}>
              Edit
            </Button>
            <Button variant="secondary" busy={reject.busy} busyLabel="Rejecting…" onClick={() => void reject.run()}>
              Reject
            </Button>
          </div>
          <ErrorMessage error={reject.error} prefix="Could not reject" />
          <form
            className="stack approve"
            onSubmit={(event: FormEvent) => {
              event.preventDefault();
              void approve.run();
            }}
          >
            <h3 className="small-heading">Approve for publishing</h3>
            {channels.error ? <ErrorMessage error={channels.error} prefix="Could not load your channels" /> : null}
            {channels.channels && usable.length === 0 ? (
              <p>
                No active {draft.channel === 'timeline' ? 'timeline' : 'Mastodon'} channel yet. <Link to="/channels">Add one</Link> to approve this draft.
              </p>
            ) : null}
            {usable.length > 0 ? (
              <>
                <div className="row">
                  <SelectField label="Channel" name="channelId" value={chosen?.id ?? ''} onChange={(e) => setChannelId(e.target.value)} error={approve.fieldErrors.channelId}>
                    {usable.map((channel) => (
                      <option key={channel.id} value={channel.id}>
                        {channel.name}
                        {channel.handle ? ` (@${channel.handle})` : channel.accountName ? ` (${channel.accountName})` : ''}
                      </option>
                    ))}
                  </SelectField>
                  <TextField
                    label="Publish at"
                    name="publishAt"
                    type="datetime-local"
                    hint="Empty publishes right away."
                    value={publishAt}
                    onChange={(e) => setPublishAt(e.target.value)}
                    error={approve.fieldErrors.publishAt}
                  />
                </div>
                {askOverride ? (
                  <CheckboxField
                    label="Publish it although its tone reads negative"
                    name="override"
                    checked={override}
                    onChange={(e) => setOverride(e.target.checked)}
                    hint={`Its sentiment score is ${draft.sentiment.score.toFixed(2)}. Read it once more before you publish it.`}
                  />
                ) : null}
                <ErrorMessage error={approve.error?.code === 'VALIDATION_FAILED' ? undefined : approve.error} prefix="Could not approve" />
                <Button type="submit" busy={approve.busy} busyLabel="Approving…" disabled={count > limit}>
                  Approve
                </Button>
              </>
            ) : null}
          </form>
        </>
      ) : null}
      {draft.status === 'approved' || draft.status === 'published' ? (
        <Notice>
          <p>
            {draft.status === 'approved' ? `Scheduled for ${formatDateTime(draft.publishAt)}` : 'Published'}
            {draft.channelId ? ` on ${(channels.channels ?? []).find((c) => c.id === draft.channelId)?.name ?? 'your channel'}` : ''}.
            {draft.publishedUrl ? (
              <>
                {' '}
                <a href={draft.publishedUrl} rel="noopener noreferrer" target="_blank">
                  See the post
                </a>
              </>
            ) : null}{' '}
            <Link to="/posts">Your posts</Link>
          </p>
        </Notice>
      ) : null}
    </article>
  );
}
