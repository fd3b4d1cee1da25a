import { tweeterApi } from '../../lib/api/tweeter.js';
import { useResource } from '../../lib/use-resource.js';
import type { ChannelsState } from './DraftCard.js';

/** The person's channels, for approving drafts; a failure shows where channels are needed, not page-wide. */
export function useChannels(): ChannelsState {
  const channels = useResource((signal) => tweeterApi.channels(signal), []);
  return { channels: channels.data?.items, error: channels.error };
}
