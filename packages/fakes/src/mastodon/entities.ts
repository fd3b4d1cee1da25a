import { escapeHtml } from './http-io.js';

/** An account on the fake instance. */
export interface FakeAccount {
  id: string;
  username: string;
  displayName: string;
  createdAt: Date;
}

/** A status as the fake stored it. */
export interface FakeStatus {
  id: string;
  accountId: string;
  /** The text as posted (Mastodon keeps it as the source of the rendered `content`). */
  text: string;
  visibility: 'public' | 'unlisted' | 'private' | 'direct';
  spoilerText: string;
  sensitive: boolean;
  language: string | null;
  createdAt: Date;
  /** The Idempotency-Key it was created with, if any. */
  idempotencyKey?: string;
  applicationName: string | null;
}

export interface FakeApplication {
  id: string;
  name: string;
  website: string | null;
  redirectUris: string[];
  scopes: string[];
  clientId: string;
  clientSecret: string;
}

export interface InstanceSettings {
  domain: string;
  title: string;
  version: string;
  maxCharacters: number;
  charactersReservedPerUrl: number;
}

/** Mastodon's `Account` entity (the parts clients read), from the documented shape. */
export function renderAccount(account: FakeAccount, origin: string, statusesCount: number) {
  return {
    id: account.id,
    username: account.username,
    acct: account.username,
    display_name: account.displayName,
    locked: false,
    bot: false,
    discoverable: true,
    group: false,
    created_at: account.createdAt.toISOString(),
    note: '',
    url: `${origin}/@${account.username}`,
    uri: `${origin}/users/${account.username}`,
    avatar: `${origin}/avatars/original/missing.png`,
    avatar_static: `${origin}/avatars/original/missing.png`,
    header: `${origin}/headers/original/missing.png`,
    header_static: `${origin}/headers/original/missing.png`,
    followers_count: 0,
    following_count: 0,
    statuses_count: statusesCount,
    last_status_at: null,
    emojis: [],
    fields: [],
  };
}

/** `CredentialAccount`: the account plus its `source`, as verify_credentials answers. */
export function renderCredentialAccount(account: FakeAccount, origin: string, statusesCount: number) {
  return {
    ...renderAccount(account, origin, statusesCount),
    source: { privacy: 'public', sensitive: false, language: null, note: '', fields: [], follow_requests_count: 0 },
    role: { id: '-99', name: '', permissions: '0', color: '', highlighted: false },
  };
}

export function renderStatus(status: FakeStatus, account: FakeAccount, origin: string, statusesCount: number) {
  return {
    id: status.id,
    created_at: status.createdAt.toISOString(),
    in_reply_to_id: null,
    in_reply_to_account_id: null,
    sensitive: status.sensitive,
    spoiler_text: status.spoilerText,
    visibility: status.visibility,
    language: status.language,
    uri: `${origin}/users/${account.username}/statuses/${status.id}`,
    url: `${origin}/@${account.username}/${status.id}`,
    replies_count: 0,
    reblogs_count: 0,
    favourites_count: 0,
    edited_at: null,
    favourited: false,
    reblogged: false,
    muted: false,
    bookmarked: false,
    pinned: false,
    content: renderContent(status.text),
    filtered: [],
    reblog: null,
    application: status.applicationName ? { name: status.applicationName, website: null } : null,
    account: renderAccount(account, origin, statusesCount),
    media_attachments: [],
    mentions: [],
    tags: [],
    emojis: [],
    card: null,
    poll: null,
  };
}

/** Plain text rendered as Mastodon does for local posts: paragraphs and line breaks, HTML escaped. */
function renderContent(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br />')}</p>`)
    .join('');
}

/** `CredentialApplication`, what POST /api/v1/apps answers (Mastodon 4.4 shape). */
export function renderCredentialApplication(app: FakeApplication) {
  return {
    id: app.id,
    name: app.name,
    website: app.website,
    scopes: app.scopes,
    redirect_uri: app.redirectUris.join('\n'),
    redirect_uris: app.redirectUris,
    vapid_key: 'BCkMmVdKDnKYwzVCDC99Iuc9GvId-x7-kKtuHnLgfF98ENiZp_aj-UNthbCdI70DqN1zUVis-x0Wrot2sBagkMc=',
    client_id: app.clientId,
    client_secret: app.clientSecret,
    client_secret_expires_at: 0,
  };
}

/** The v2 `Instance` entity with the configuration clients need to validate posts. */
export function renderInstance(settings: InstanceSettings, origin: string, activeUsers: number) {
  return {
    domain: settings.domain,
    title: settings.title,
    version: settings.version,
    source_url: 'https://github.com/mastodon/mastodon',
    description: 'A local stand-in for a Mastodon server',
    usage: { users: { active_month: activeUsers } },
    thumbnail: { url: `${origin}/packs/media/images/preview.png` },
    icon: [],
    languages: ['en'],
    configuration: {
      urls: { streaming: origin.replace(/^http/, 'ws') },
      vapid: { public_key: 'BCkMmVdKDnKYwzVCDC99Iuc9GvId-x7-kKtuHnLgfF98ENiZp_aj-UNthbCdI70DqN1zUVis-x0Wrot2sBagkMc=' },
      accounts: { max_featured_tags: 10, max_pinned_statuses: 5 },
      statuses: {
        max_characters: settings.maxCharacters,
        max_media_attachments: 4,
        characters_reserved_per_url: settings.charactersReservedPerUrl,
      },
      media_attachments: { supported_mime_types: ['image/jpeg', 'image/png'], image_size_limit: 16777216 },
      polls: { max_options: 4, max_characters_per_option: 50, min_expiration: 300, max_expiration: 2629746 },
      translation: { enabled: false },
    },
    registrations: { enabled: false, approval_required: false, message: null },
    api_versions: { mastodon: 6 },
    contact: { email: `admin@${settings.domain}`, account: null },
    rules: [],
  };
}
