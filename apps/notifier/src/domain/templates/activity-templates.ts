import { safeLink, truncate } from './escape.js';
import { links } from './links.js';
import { defineTemplate } from './template.js';

const maxReasonLength = 300;
const maxQuotedDrafts = 3;
const maxDraftLength = 500;

const quoteList = (keywords: string[]) => keywords.map((keyword) => `“${keyword}”`).join(', ');

export const searchFailedTemplate = defineTemplate({
  name: 'search-failed',
  eventType: 'trends.search.failed',
  recipientFrom: 'projection',
  optOut: 'searchFailed',
  content: (data, { publicBaseUrl }) => ({
    subject: `Your trend search for ${quoteList(data.keywords)} failed`,
    preview: 'We could not finish your trend search.',
    paragraphs: [
      `We could not finish your trend search for ${quoteList(data.keywords)}.`,
      `Reason: ${truncate(data.reason, maxReasonLength)}`,
      'You can run the search again from its page.',
    ],
    action: { label: 'Open the search', url: links.search(publicBaseUrl, data.searchId) },
    footer: { kind: 'preferences', preferencesUrl: links.notificationSettings(publicBaseUrl) },
  }),
});

export const draftsReadyTemplate = defineTemplate({
  name: 'drafts-ready',
  eventType: 'thinker.drafts.generated',
  recipientFrom: 'projection',
  optOut: 'draftsReady',
  content: (data, { publicBaseUrl }) => {
    const count = data.drafts.length;
    const hidden = count - maxQuotedDrafts;
    return {
      subject: count === 1 ? 'Your new draft is ready to review' : `Your ${count} new drafts are ready to review`,
      preview: truncate(data.drafts[0]?.text ?? '', 90),
      paragraphs: [count === 1 ? 'We wrote a new draft for you:' : `We wrote ${count} new drafts for you:`],
      quotes: data.drafts.slice(0, maxQuotedDrafts).map((draft) => truncate(draft.text, maxDraftLength)),
      afterword: hidden > 0 ? [`…and ${hidden} more.`] : [],
      action: { label: count === 1 ? 'Review the draft' : 'Review the drafts', url: links.drafts(publicBaseUrl, data.generationId) },
      footer: { kind: 'preferences', preferencesUrl: links.notificationSettings(publicBaseUrl) },
    };
  },
});

export const generationFailedTemplate = defineTemplate({
  name: 'generation-failed',
  eventType: 'thinker.generation.failed',
  recipientFrom: 'projection',
  optOut: 'generationFailed',
  content: (data, { publicBaseUrl }) => ({
    subject: 'We could not write your drafts',
    preview: 'Writing your drafts failed.',
    paragraphs: ['We could not write the drafts you asked for.', `Reason: ${truncate(data.reason, maxReasonLength)}`],
    action: { label: 'Open the generation', url: links.generation(publicBaseUrl, data.generationId) },
    footer: { kind: 'preferences', preferencesUrl: links.notificationSettings(publicBaseUrl) },
  }),
});

export const postPublishedTemplate = defineTemplate({
  name: 'post-published',
  eventType: 'tweeter.post.published',
  recipientFrom: 'projection',
  optOut: 'postPublished',
  content: (data, { publicBaseUrl }) => ({
    subject: `Your post is live on ${data.channel}`,
    preview: `Published on ${data.channel}.`,
    paragraphs: [`Your post was published on ${data.channel}.`, `See it where your readers do: ${safeLink(data.url)}`],
    action: { label: 'Open the post', url: links.post(publicBaseUrl, data.postId) },
    footer: { kind: 'preferences', preferencesUrl: links.notificationSettings(publicBaseUrl) },
  }),
});

export const postFailedTemplate = defineTemplate({
  name: 'post-failed',
  eventType: 'tweeter.post.failed',
  recipientFrom: 'projection',
  optOut: 'postFailed',
  content: (data, { publicBaseUrl }) => ({
    subject: `Your post to ${data.channel} could not be published`,
    preview: `Publishing to ${data.channel} failed.`,
    paragraphs: [
      `We tried ${data.attempts} ${data.attempts === 1 ? 'time' : 'times'} to publish your post on ${data.channel} and gave up.`,
      `Reason: ${truncate(data.reason, maxReasonLength)}`,
      'Check the channel’s settings, then reschedule the post.',
    ],
    action: { label: 'Open the post', url: links.post(publicBaseUrl, data.postId) },
    footer: { kind: 'preferences', preferencesUrl: links.notificationSettings(publicBaseUrl) },
  }),
});

export const channelReconnectionTemplate = defineTemplate({
  name: 'channel-reconnection-needed',
  eventType: 'tweeter.channel.reconnection_needed',
  recipientFrom: 'projection',
  // Told once per loss (tweeter sends the event once); its posts would fail, so it follows that choice.
  optOut: 'postFailed',
  content: (data, { publicBaseUrl }) => ({
    subject: `Reconnect ${data.channelName} to keep publishing`,
    preview: `${data.channelName} no longer accepts Trendcast's posts.`,
    paragraphs: [
      `${data.channelName} stopped accepting Trendcast's access, so posts to it cannot go out.`,
      `Reason: ${truncate(data.reason, maxReasonLength)}`,
      'Reconnect it from your channels page; posts scheduled after that are published as planned.',
    ],
    action: { label: 'Open your channels', url: links.channels(publicBaseUrl) },
    footer: { kind: 'preferences', preferencesUrl: links.notificationSettings(publicBaseUrl) },
  }),
});
