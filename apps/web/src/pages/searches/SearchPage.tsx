import { Link, useNavigate, useParams } from 'react-router';
import { StatusBadge } from '../../components/badges.js';
import { Button } from '../../components/Button.js';
import { ErrorMessage, LoadState, Notice } from '../../components/feedback.js';
import { PageTitle } from '../../components/PageTitle.js';
import { timeframeLabel, trendsApi, type SearchDetail } from '../../lib/api/trends.js';
import { formatDateTime, regionName } from '../../lib/format.js';
import { useAction } from '../../lib/use-action.js';
import { useResource } from '../../lib/use-resource.js';
import { GenerateForm } from '../drafts/GenerateForm.js';
import { InterestChart } from './InterestChart.js';
import { InterestTable, RegionTable, RelatedQueries, RelatedTopics } from './ResultTables.js';

/** A search's results; also where the "search failed" email leads. Follows the search while it runs. */
export default function SearchPage() {
  const { id = '' } = useParams();
  const search = useResource((signal) => trendsApi.search(id, signal), [id], {
    pollMs: (data) => (data.status === 'queued' || data.status === 'running' ? 2_000 : undefined),
  });
  const title = search.data ? search.data.keywords.join(', ') : 'Search';
  return (
    <section>
      <PageTitle title={title}>{title}</PageTitle>
      <LoadState resource={search} what="this search">
        {(data) => <SearchBody search={data} />}
      </LoadState>
    </section>
  );
}

function SearchBody({ search }: { search: SearchDetail }) {
  const navigate = useNavigate();
  const remove = useAction(async () => {
    await trendsApi.deleteSearch(search.id);
    navigate('/searches', { replace: true });
  });
  const results = search.results;
  return (
    <>
      <p className="meta">
        <StatusBadge status={search.status} /> {regionName(search.geo)} · {timeframeLabel(search.timeframe.name)} ({formatDateTime(search.timeframe.start)} –{' '}
        {formatDateTime(search.timeframe.end)}) · asked {formatDateTime(search.createdAt)}
        {search.cached ? ' · answered from a recent identical search' : ''}
      </p>
      {search.status === 'queued' || search.status === 'running' ? (
        <Notice>
          <p>
            {search.status === 'queued' ? 'Waiting for its turn with Google Trends…' : 'Asking Google Trends…'} This page updates by itself.
            {search.attempts > 1 ? ` Attempt ${search.attempts}.` : ''}
          </p>
          {search.lastError ? <p>The last try failed: {search.lastError}. Trying again.</p> : null}
        </Notice>
      ) : null}
      {search.status === 'failed' ? (
        <ErrorMessage>
          <p>This search failed: {search.failureReason ?? 'Google Trends did not answer.'}</p>
          <p>
            <Link to="/searches/new">Try a new search</Link>
          </p>
        </ErrorMessage>
      ) : null}
      {results ? (
        <>
          <section aria-labelledby="over-time">
            <h2 id="over-time">Interest over time</h2>
            {results.interestOverTime.points.length > 0 ? (
              <>
                <InterestChart data={results.interestOverTime} />
                <InterestTable data={results.interestOverTime} />
              </>
            ) : (
              <p className="empty">Google has no timeline for this search.</p>
            )}
          </section>
          <section aria-labelledby="by-region">
            <h2 id="by-region">Interest by region</h2>
            <RegionTable data={results.interestByRegion} />
          </section>
          <section aria-labelledby="queries">
            <h2 id="queries">Related queries</h2>
            <RelatedQueries data={results.relatedQueries} />
          </section>
          <section aria-labelledby="topics">
            <h2 id="topics">Related topics</h2>
            <RelatedTopics data={results.relatedTopics} />
          </section>
          <section aria-labelledby="drafts">
            <h2 id="drafts">Drafts from these results</h2>
            {search.generate ? (
              <p>
                You asked for {search.generate.count} {search.generate.tone} draft{search.generate.count === 1 ? '' : 's'} with this search. They appear under{' '}
                <Link to="/drafts">Drafts</Link> once written.
              </p>
            ) : null}
            <GenerateForm trendSearchId={search.id} submitLabel={search.generate ? 'Write more drafts' : 'Write drafts'} />
          </section>
        </>
      ) : null}
      <section aria-labelledby="manage" className="danger-zone">
        <h2 id="manage">Manage</h2>
        <Button variant="danger" busy={remove.busy} busyLabel="Deleting…" onClick={() => void remove.run()}>
          Delete this search
        </Button>
        <ErrorMessage error={remove.error} prefix="Could not delete the search" />
      </section>
    </>
  );
}
