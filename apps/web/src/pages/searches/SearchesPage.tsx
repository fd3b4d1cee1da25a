import { useState } from 'react';
import { Link } from 'react-router';
import { StatusBadge } from '../../components/badges.js';
import { Button } from '../../components/Button.js';
import { Empty, ErrorMessage, LoadState } from '../../components/feedback.js';
import { PageTitle } from '../../components/PageTitle.js';
import type { Page } from '../../lib/api/lists.js';
import { timeframeLabel, trendsApi, type Search } from '../../lib/api/trends.js';
import { formatDateTime, regionName } from '../../lib/format.js';
import { useAction } from '../../lib/use-action.js';
import { useResource } from '../../lib/use-resource.js';

const unfinished = (search: Search) => search.status === 'queued' || search.status === 'running';

export default function SearchesPage() {
  const searches = useResource((signal) => trendsApi.searches({ signal }), [], {
    // The list follows searches that are still running.
    pollMs: (page) => (page.items.some(unfinished) ? 3_000 : undefined),
  });
  const [older, setOlder] = useState<Page<Search> | undefined>(undefined);
  const more = useAction(async () => {
    const cursor = older?.nextCursor ?? searches.data?.nextCursor;
    const next = await trendsApi.searches({ cursor });
    setOlder((current) => ({ items: [...(current?.items ?? []), ...next.items], nextCursor: next.nextCursor }));
  });

  return (
    <section>
      <div className="page-head">
        <PageTitle>Searches</PageTitle>
        <Link className="button-primary" to="/searches/new">
          New search
        </Link>
      </div>
      <LoadState resource={searches} what="your searches">
        {(page) => {
          const items = [...page.items, ...(older?.items ?? [])];
          if (items.length === 0) {
            return (
              <Empty>
                <p>No searches yet.</p>
                <p>
                  <Link to="/searches/new">Start your first search</Link> to see how interest in your keywords moves.
                </p>
              </Empty>
            );
          }
          const nextCursor = older ? older.nextCursor : page.nextCursor;
          return (
            <>
              <ul className="cards" aria-live="polite">
                {items.map((search) => (
                  <li key={search.id} className="card">
                    <div className="card-head">
                      <Link to={`/searches/${search.id}`} className="card-title">
                        {search.keywords.join(', ')}
                      </Link>
                      <StatusBadge status={search.status} />
                    </div>
                    <p className="meta">
                      {regionName(search.geo)} · {timeframeLabel(search.timeframe.name)} · {formatDateTime(search.createdAt)}
                      {search.watchId ? ' · from a watch' : ''}
                    </p>
                    {search.status === 'failed' && search.failureReason ? <p className="field-error">{search.failureReason}</p> : null}
                  </li>
                ))}
              </ul>
              {nextCursor ? (
                <Button variant="secondary" busy={more.busy} busyLabel="Loading…" onClick={() => void more.run()}>
                  Show older searches
                </Button>
              ) : null}
              <ErrorMessage error={more.error} prefix="Could not load older searches" />
            </>
          );
        }}
      </LoadState>
    </section>
  );
}
