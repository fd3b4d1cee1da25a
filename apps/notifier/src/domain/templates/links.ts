import { appLink } from './escape.js';

/** Every page of the product that a mail links to, in one place. */
export const links = {
  newSearch: (base: string) => appLink(base, ['searches', 'new']),
  search: (base: string, searchId: string) => appLink(base, ['searches', searchId]),
  drafts: (base: string, generationId: string) => appLink(base, ['drafts'], { generation: generationId }),
  generation: (base: string, generationId: string) => appLink(base, ['generations', generationId]),
  post: (base: string, postId: string) => appLink(base, ['posts', postId]),
  channels: (base: string) => appLink(base, ['channels']),
  forgotPassword: (base: string) => appLink(base, ['forgot-password']),
  notificationSettings: (base: string) => appLink(base, ['settings', 'notifications']),
};
