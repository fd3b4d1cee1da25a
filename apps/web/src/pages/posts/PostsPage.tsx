import { useState } from 'react';
import { Link } from 'react-router';
import { Empty, LoadState } from '../../components/feedback.js';
import { SelectField } from '../../components/Field.js';
import { PageTitle } from '../../components/PageTitle.js';
import { postStatuses, tweeterApi } from '../../lib/api/tweeter.js';
import { useResource } from '../../lib/use-resource.js';
import { PostDetails } from './PostDetails.js';

const statusNames: Record<string, string> = { scheduled: 'Scheduled', publishing: 'Publishing', published: 'Published', failed: 'Failed', cancelled: 'Cancelled' };

export default function PostsPage() {
  const [status, setStatus] = useState('');
  const posts = useResource((signal) => tweeterApi.posts({ status: status || undefined, signal }), [status], {
    pollMs: (page) => (page.items.some((post) => post.status === 'publishing' || post.status === 'scheduled') ? 10_000 : undefined),
  });
  const channels = useResource((signal) => tweeterApi.channels(signal), []);
  const nameOf = (id: string) => channels.data?.items.find((channel) => channel.id === id)?.name;

  return (
    <section>
      <PageTitle>Posts</PageTitle>
      <div className="row">
        <SelectField label="Show" name="status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">All posts</option>
          {postStatuses.map((value) => (
            <option key={value} value={value}>
              {statusNames[value]}
            </option>
          ))}
        </SelectField>
      </div>
      <LoadState resource={posts} what="your posts">
        {(page) =>
          page.items.length === 0 ? (
            <Empty>
              <p>
                No posts{status ? ' with this status' : ' yet'}. Approve a draft on the <Link to="/drafts">drafts page</Link> to schedule one.
              </p>
            </Empty>
          ) : (
            <div className="cards">
              {page.items.map((post) => (
                <PostDetails
                  key={post.id}
                  post={post}
                  channelName={nameOf(post.channelId)}
                  onChange={(next) => posts.setData((current) => ({ items: (current?.items ?? []).map((p) => (p.id === next.id ? next : p)), nextCursor: current?.nextCursor ?? null }))}
                />
              ))}
            </div>
          )
        }
      </LoadState>
    </section>
  );
}
