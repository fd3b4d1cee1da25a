import type { Sentiment } from '../lib/api/thinker.js';

const statusText: Record<string, string> = {
  queued: 'Queued',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  active: 'Active',
  paused: 'Paused',
  draft: 'Draft',
  approved: 'Approved',
  published: 'Published',
  rejected: 'Rejected',
  scheduled: 'Scheduled',
  publishing: 'Publishing',
  cancelled: 'Cancelled',
  needs_reconnection: 'Needs reconnection',
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${status}`}>{statusText[status] ?? status}</span>;
}

/** Sentiment as a colour and, for everyone who cannot tell colours apart, as words and a score. */
export function SentimentBadge({ sentiment }: { sentiment: Pick<Sentiment, 'label'> & { score?: number } }) {
  const score = sentiment.score === undefined ? '' : ` ${sentiment.score > 0 ? '+' : ''}${sentiment.score.toFixed(2)}`;
  return (
    <span className={`sentiment sentiment-${sentiment.label}`}>
      <span className="sentiment-dot" aria-hidden="true" />
      {sentiment.label.charAt(0).toUpperCase() + sentiment.label.slice(1)}
      {score ? <span className="sentiment-score">{score}</span> : null}
    </span>
  );
}
