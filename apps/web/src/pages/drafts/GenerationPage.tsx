import { Link, useParams } from 'react-router';
import { LoadState } from '../../components/feedback.js';
import { PageTitle } from '../../components/PageTitle.js';
import { thinkerApi } from '../../lib/api/thinker.js';
import { useResource } from '../../lib/use-resource.js';
import { GenerationView, withDraft } from './GenerationView.js';
import { useChannels } from './use-channels.js';

/** A generation's progress and drafts; the "we could not write your drafts" email leads here. */
export default function GenerationPage() {
  const { id = '' } = useParams();
  const channels = useChannels();
  const generation = useResource((signal) => thinkerApi.generation(id, signal), [id], {
    pollMs: (data) => (data.status === 'queued' || data.status === 'running' ? 2_000 : undefined),
  });
  return (
    <section>
      <PageTitle>Drafts being written</PageTitle>
      <p>
        <Link to="/drafts">All drafts</Link>
      </p>
      <LoadState resource={generation} what="these drafts">
        {(data) => (
          <GenerationView generation={data} channels={channels} onDraftChange={(draft) => generation.setData((current) => withDraft(current ?? data, draft))} />
        )}
      </LoadState>
    </section>
  );
}
