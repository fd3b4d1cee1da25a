import { Link, useParams } from 'react-router';
import { LoadState } from '../../components/feedback.js';
import { PageTitle } from '../../components/PageTitle.js';
import { tweeterApi } from '../../lib/api/tweeter.js';
import { useResource } from '../../lib/use-resource.js';
import { PostDetails } from './PostDetails.js';

/** One post with its attempts; the "post published" and "post failed" emails lead here. */
export default function PostPage() {
  const { id = '' } = useParams();
  const post = useResource((signal) => tweeterApi.post(id, signal), [id], {
    pollMs: (data) => (data.status === 'publishing' ? 3_000 : undefined),
  });
  const channels = useResource((signal) => tweeterApi.channels(signal), []);
  return (
    <section>
      <PageTitle>Post</PageTitle>
      <p>
        <Link to="/posts">All posts</Link>
      </p>
      <LoadState resource={post} what="this post">
        {(data) => (
          <PostDetails post={data} link={false} channelName={channels.data?.items.find((channel) => channel.id === data.channelId)?.name} onChange={(next) => post.setData(next)} />
        )}
      </LoadState>
    </section>
  );
}
