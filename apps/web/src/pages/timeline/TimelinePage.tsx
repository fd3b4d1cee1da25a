import { Link, useParams } from 'react-router';
import { SentimentBadge } from '../../components/badges.js';
import { Empty, LoadState } from '../../components/feedback.js';
import { PageTitle } from '../../components/PageTitle.js';
import { tweeterApi } from '../../lib/api/tweeter.js';
import { formatDateTime } from '../../lib/format.js';
import { useResource } from '../../lib/use-resource.js';

/** Trendcast's own public timeline: every post published to a timeline channel, newest first. No sign-in needed. */
export default function TimelinePage() {
  const { handle } = useParams();
  const timeline = useResource((signal) => tweeterApi.timeline({ ...(handle ? { handle } : {}), signal }), [handle], { pollMs: () => 15_000 });
  const title = handle ? `@${handle}` : 'Timeline';
  return (
    <section className="narrow">
      <PageTitle title={title}>{title}</PageTitle>
      {handle ? (
        <p>
          <Link to="/timeline">Everyone&apos;s posts</Link>
        </p>
      ) : (
        <p>Posts published on Trendcast&apos;s public timeline.</p>
      )}
      <LoadState resource={timeline} what="the timeline">
        {(page) =>
          page.items.length === 0 ? (
            <Empty>
              <p>Nothing published here yet.</p>
            </Empty>
          ) : (
            <ol className="timeline" aria-label="Posts, newest first">
              {page.items.map((entry) => (
                <li key={entry.id} className="card">
                  <div className="card-head">
                    <Link to={`/timeline/${encodeURIComponent(entry.handle)}`} className="card-title">
                      @{entry.handle}
                    </Link>
                    {entry.sentiment ? <SentimentBadge sentiment={entry.sentiment} /> : null}
                  </div>
                  <p className="draft-text">{entry.text}</p>
                  <p className="meta">
                    <time dateTime={entry.publishedAt}>{formatDateTime(entry.publishedAt)}</time>
                  </p>
                </li>
              ))}
            </ol>
          )
        }
      </LoadState>
    </section>
  );
}
