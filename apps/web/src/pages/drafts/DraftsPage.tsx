import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Empty, LoadState } from '../../components/feedback.js';
import { SelectField } from '../../components/Field.js';
import { PageTitle } from '../../components/PageTitle.js';
import { draftStatuses, thinkerApi, type Generation } from '../../lib/api/thinker.js';
import type { Page } from '../../lib/api/lists.js';
import { useResource } from '../../lib/use-resource.js';
import { GenerateForm } from './GenerateForm.js';
import { GenerationView, withDraft } from './GenerationView.js';
import { useChannels } from './use-channels.js';

const pending = (generation: Generation) => generation.status === 'queued' || generation.status === 'running';

/** Drafts grouped by the generation that wrote them; `?generation=<id>` (the "drafts ready" email) shows one. */
export default function DraftsPage() {
  const [params] = useSearchParams();
  const only = params.get('generation');
  const channels = useChannels();
  const [status, setStatus] = useState('');
  const generations = useResource<Page<Generation>>(
    async (signal) => (only ? { items: [await thinkerApi.generation(only, signal)], nextCursor: null } : thinkerApi.generations({ signal })),
    [only],
    { pollMs: (page) => (page.items.some(pending) ? 3_000 : undefined) },
  );

  return (
    <section>
      <PageTitle>Drafts</PageTitle>
      {only ? (
        <p>
          Showing one set of drafts. <Link to="/drafts">Show all drafts</Link>
        </p>
      ) : null}
      <div className="row">
        <SelectField label="Show" name="status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">All drafts</option>
          {draftStatuses.map((value) => (
            <option key={value} value={value}>
              {value.charAt(0).toUpperCase() + value.slice(1)}
            </option>
          ))}
        </SelectField>
      </div>
      <LoadState resource={generations} what="your drafts">
        {(page) =>
          page.items.length === 0 ? (
            <Empty>
              <p>No drafts yet. Ask for some below, or tick “Write post drafts” when you start a search.</p>
            </Empty>
          ) : (
            page.items.map((generation) => (
              <GenerationView
                key={generation.id}
                generation={generation}
                channels={channels}
                statusFilter={status || undefined}
                onDraftChange={(draft) =>
                  generations.setData((current) => ({ items: (current?.items ?? []).map((g) => withDraft(g, draft)), nextCursor: current?.nextCursor ?? null }))
                }
              />
            ))
          )
        }
      </LoadState>
      <section aria-labelledby="new-drafts" className="panel">
        <h2 id="new-drafts">New drafts about a topic</h2>
        <GenerateForm />
      </section>
    </section>
  );
}
