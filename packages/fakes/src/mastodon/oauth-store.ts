import { createHash, randomBytes } from 'node:crypto';
import type { FakeApplication } from './entities.js';

export interface FakeToken {
  token: string;
  /** The account the token acts for; null for an app-only (client_credentials) token. */
  accountId: string | null;
  clientId: string;
  scopes: string[];
  createdAt: Date;
  revoked: boolean;
}

export interface AuthorizationCode {
  code: string;
  clientId: string;
  accountId: string;
  redirectUri: string;
  scopes: string[];
  codeChallenge?: string;
  codeChallengeMethod?: string;
  expiresAt: number;
  used: boolean;
}

/** Scopes a Mastodon 4.x server knows (OAuth scopes page of its documentation). */
export const knownScopes = new Set([
  'read', 'write', 'follow', 'push', 'profile',
  ...['accounts', 'blocks', 'bookmarks', 'favourites', 'filters', 'follows', 'lists', 'mutes', 'notifications', 'search', 'statuses'].map(
    (s) => `read:${s}`,
  ),
  ...['accounts', 'blocks', 'bookmarks', 'conversations', 'favourites', 'filters', 'follows', 'lists', 'media', 'mutes', 'notifications', 'reports', 'statuses'].map(
    (s) => `write:${s}`,
  ),
]);

/** Whether `granted` covers one of `needed` (a top-level scope covers its granular ones). */
export function scopesCover(granted: string[], needed: string[]): boolean {
  return needed.some((scope) => granted.includes(scope) || granted.includes(scope.split(':')[0] ?? scope));
}

export function parseScopes(value: string | undefined, fallback = 'read'): string[] {
  return (value ?? fallback).split(/[\s+]+/).filter(Boolean);
}

/** A token like Doorkeeper's: 43 URL-safe characters. */
export function secretToken(): string {
  return randomBytes(32).toString('base64url');
}

/** RFC 7636 S256: BASE64URL(SHA256(verifier)). */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export class OAuthStore {
  readonly applications: FakeApplication[] = [];
  readonly tokens = new Map<string, FakeToken>();
  readonly codes = new Map<string, AuthorizationCode>();
  private nextAppId = 1;

  registerApplication(input: { name: string; website: string | null; redirectUris: string[]; scopes: string[] }): FakeApplication {
    const app: FakeApplication = {
      id: String(this.nextAppId++),
      ...input,
      clientId: secretToken(),
      clientSecret: secretToken(),
    };
    this.applications.push(app);
    return app;
  }

  application(clientId: string | undefined): FakeApplication | undefined {
    return clientId === undefined ? undefined : this.applications.find((app) => app.clientId === clientId);
  }

  /** The application when the secret matches it too (client authentication). */
  authenticatedApplication(clientId: string | undefined, clientSecret: string | undefined): FakeApplication | undefined {
    const app = this.application(clientId);
    return app && clientSecret !== undefined && app.clientSecret === clientSecret ? app : undefined;
  }

  issueToken(clientId: string, accountId: string | null, scopes: string[], now: Date): FakeToken {
    const token: FakeToken = { token: secretToken(), accountId, clientId, scopes, createdAt: now, revoked: false };
    this.tokens.set(token.token, token);
    return token;
  }
}
