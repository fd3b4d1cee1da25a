import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { SentimentBadge, StatusBadge } from '../../components/badges.js';
import { Button } from '../../components/Button.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { ErrorMessage } from '../../components/feedback.js';
import { TextField } from '../../components/Field.js';
import { tweeterApi, type Attempt, type Post } from '../../lib/api/tweeter.js';
import { formatDateTime, fromLocalInput, toLocalInput } from '../../lib/format.js';
import { useAction } from '../../lib/use-action.js';

const outcomes: Record<Attempt['outcome'], string> = {
  published: 'published',
  rate_limited: 'the channel asked us to slow down',
  temporary: 'a temporary failure',
  auth_revoked: 'access to the account was revoked',
  rejected: 'the channel refused the post',
  unknown: 'an unknown outcome',
};

export function Attempts({ attempts }: { attempts: Attempt[] }) {
  if (attempts.length === 0) return null;
  return (
    <div className="table-scroll">
      <table>
        <caption>Publishing attempts</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Started</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {attempts.map((attempt) => (
            <tr key={attempt.number}>
              <td>{attempt.number}</td>
              <td>{formatDateTime(attempt.startedAt)}</td>
              <td>
                {outcomes[attempt.outcome]}
                {attempt.error ? `: ${attempt.error}` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One post with what can still be done to it: reschedule or cancel while scheduled. */
export function PostDetails({ post, onChange, channelName, link = true }: { post: Post; onChange: (post: Post) => void; channelName?: string; link?: boolean }) {
  const [rescheduling, setRescheduling] = useState(false);
  const [when, setWhen] = useState(() => toLocalInput(new Date(post.publishAt)));
  const reschedule = useAction(async () => {
    const publishAt = fromLocalInput(when);
    if (!publishAt) throw Object.assign(new Error('Choose a date and time.'), { code: 'LOCAL' });
    onChange(await tweeterApi.reschedule(post.id, publishAt));
    setRescheduling(false);
  });
  const cancel = useAction(async () => onChange(await tweeterApi.cancel(post.id)));

  return (
    <article className="card" aria-label={`Post: ${post.text.slice(0, 60)}`}>
      <div className="card-head">
        <StatusBadge status={post.status} />
        {post.sentiment ? <SentimentBadge sentiment={post.sentiment} /> : null}
      </div>
      <p className="draft-text">{post.text}</p>
      <p className="meta">
        {channelName ? `${channelName} · ` : ''}
        {post.status === 'published' ? `Published ${formatDateTime(post.publishedAt)}` : `For ${formatDateTime(post.publishAt)}`}
        {link ? (
          <>
            {' · '}
            <Link to={`/posts/${post.id}`}>Details</Link>
          </>
        ) : null}
      </p>
      {post.status === 'published' && post.url ? (
        <p>
          <a href={post.url} rel="noopener noreferrer" target="_blank">
            Open the published post
          </a>
        </p>
      ) : null}
      {post.status === 'failed' ? (
        <ErrorMessage>
          <p>Could not be published: {post.failureReason ?? 'no reason given'}.</p>
        </ErrorMessage>
      ) : null}
      {post.attempts ? <Attempts attempts={post.attempts} /> : null}
      {post.status === 'scheduled' ? (
        <>
          {rescheduling ? (
            <form
              className="stack"
              onSubmit={(event: FormEvent) => {
                event.preventDefault();
                void reschedule.run();
              }}
            >
              <TextField label="New time" type="datetime-local" name="publishAt" required value={when} onChange={(e) => setWhen(e.target.value)} error={reschedule.fieldErrors.publishAt} />
              <div className="actions">
                <Button type="submit" busy={reschedule.busy} busyLabel="Saving…">
                  Save time
                </Button>
                <Button variant="secondary" onClick={() => setRescheduling(false)}>
                  Keep the time
                </Button>
              </div>
            </form>
          ) : (
            <div className="actions">
              <Button variant="secondary" onClick={() => setRescheduling(true)}>
                Reschedule
              </Button>
              <ConfirmButton label="Cancel post" confirmLabel="Cancel it" question="Cancel this post? It will not be published." busy={cancel.busy} onConfirm={() => void cancel.run()} />
            </div>
          )}
          <ErrorMessage error={reschedule.error?.code === 'VALIDATION_FAILED' ? undefined : reschedule.error} prefix="Could not reschedule" />
          <ErrorMessage error={cancel.error} prefix="Could not cancel" />
        </>
      ) : null}
    </article>
  );
}
