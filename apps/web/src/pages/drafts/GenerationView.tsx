import { Link } from 'react-router';
import { StatusBadge } from '../../components/badges.js';
import { Empty, ErrorMessage, Notice } from '../../components/feedback.js';
import type { Draft, Generation } from '../../lib/api/thinker.js';
import { formatDateTime, plural } from '../../lib/format.js';
import { DraftCard, type ChannelsState } from './DraftCard.js';

export function generationTitle(generation: Generation): string {
  return generation.topic ? `“${generation.topic}”` : generation.trendSearchId ? 'From a trend search' : 'Drafts';
}

/** One generation: its status and the drafts it produced. */
export function GenerationView({
  generation,
  channels,
  onDraftChange,
  statusFilter,
  headingLevel = 2,
}: {
  generation: Generation;
  channels: ChannelsState;
  onDraftChange: (draft: Draft) => void;
  statusFilter?: string;
  headingLevel?: 2 | 3;
}) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const drafts = statusFilter ? generation.drafts.filter((draft) => draft.status === statusFilter) : generation.drafts;
  return (
    <section className="generation" aria-label={`Generation ${generationTitle(generation)}`}>
      <div className="card-head">
        <Heading>{generationTitle(generation)}</Heading>
        <StatusBadge status={generation.status} />
      </div>
      <p className="meta">
        {plural(generation.count, 'draft')} · {generation.tone} · for {generation.channel === 'timeline' ? 'the Trendcast timeline' : 'Mastodon'} · asked{' '}
        {formatDateTime(generation.createdAt)}
        {generation.model ? ` · ${generation.model}` : ''}
        {generation.trendSearchId ? (
          <>
            {' · '}
            <Link to={`/searches/${generation.trendSearchId}`}>the search</Link>
          </>
        ) : null}
      </p>
      {generation.status === 'queued' || generation.status === 'running' ? <Notice>Writing the drafts… This page updates by itself.</Notice> : null}
      {generation.status === 'failed' ? <ErrorMessage>{<p>The drafts could not be written: {generation.reason ?? 'the writer failed.'}</p>}</ErrorMessage> : null}
      {generation.status === 'completed' && drafts.length === 0 ? <Empty>{statusFilter ? 'No drafts with this status.' : 'No drafts in this generation.'}</Empty> : null}
      <div className="cards">
        {drafts.map((draft) => (
          <DraftCard key={draft.id} draft={draft} channels={channels} onChange={onDraftChange} />
        ))}
      </div>
    </section>
  );
}

export function withDraft(generation: Generation, draft: Draft): Generation {
  return generation.id === draft.generationId ? { ...generation, drafts: generation.drafts.map((d) => (d.id === draft.id ? draft : d)) } : generation;
}
