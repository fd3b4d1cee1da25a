import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export interface CredentialKey {
  /** Stored with every ciphertext, so rotated-out keys can still decrypt what they sealed. */
  id: string;
  /** 32 bytes (AES-256). */
  key: Buffer;
}

/** Decryption failed: wrong key, wrong context (another channel's row) or altered data. Says no more. */
export class CredentialDecryptError extends Error {
  override readonly name = 'CredentialDecryptError';
  readonly code = 'CREDENTIALS_UNREADABLE';
  constructor(reason: string) {
    super(`stored credentials could not be decrypted (${reason})`);
  }
}

const version = 'v1';
const ivBytes = 12;
const tagBytes = 16;
export const keyIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * AES-256-GCM for credentials at rest. Each value gets a random 96-bit IV and a 128-bit tag and is
 * stored as `v1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url). The associated data binds it to its
 * context (the channel it belongs to) and to the version and key id written beside it, so a value
 * copied onto another channel's row, or relabelled with another key id, fails to decrypt.
 * Encrypts with the active key; decrypts with any configured key.
 */
export class CredentialCipher {
  private readonly keys: Map<string, Buffer>;

  constructor(
    keys: readonly CredentialKey[],
    readonly activeKeyId: string,
  ) {
    if (keys.length === 0) throw new Error('at least one credentials key is required');
    this.keys = new Map();
    for (const { id, key } of keys) {
      if (!keyIdPattern.test(id)) throw new Error(`credentials key id "${id}" may only hold letters, digits, _ and -`);
      if (key.length !== 32) throw new Error(`credentials key "${id}" must be 32 bytes, not ${key.length}`);
      if (this.keys.has(id)) throw new Error(`credentials key id "${id}" is listed twice`);
      this.keys.set(id, key);
    }
    if (!this.keys.has(activeKeyId)) throw new Error(`the active credentials key "${activeKeyId}" is not among the configured keys`);
  }

  encrypt(plaintext: string, context: string): string {
    const key = this.keys.get(this.activeKeyId) as Buffer;
    const iv = randomBytes(ivBytes);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: tagBytes });
    cipher.setAAD(associatedData(this.activeKeyId, context));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [version, this.activeKeyId, iv, ciphertext, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  decrypt(sealed: string, context: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 5 || parts[0] !== version) throw new CredentialDecryptError('unknown format');
    const [, keyId = '', ivText = '', ciphertextText = '', tagText = ''] = parts;
    const key = this.keys.get(keyId);
    if (!key) throw new CredentialDecryptError(`key "${keyId}" is not configured`);
    const iv = Buffer.from(ivText, 'base64url');
    const tag = Buffer.from(tagText, 'base64url');
    if (iv.length !== ivBytes || tag.length !== tagBytes) throw new CredentialDecryptError('malformed');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: tagBytes });
      decipher.setAAD(associatedData(keyId, context));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(Buffer.from(ciphertextText, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new CredentialDecryptError('authentication failed');
    }
  }

  /** The key a stored value was sealed with. */
  keyIdOf(sealed: string): string | undefined {
    const parts = sealed.split('.');
    return parts.length === 5 && parts[0] === version ? parts[1] : undefined;
  }

  /** True for values sealed with a key other than the active one (re-encrypt them to retire that key). */
  needsReencryption(sealed: string): boolean {
    return this.keyIdOf(sealed) !== this.activeKeyId;
  }
}

function associatedData(keyId: string, context: string): Buffer {
  return Buffer.from(`trendcast-credentials|${version}|${keyId}|${context}`, 'utf8');
}

/** The context binding a channel's credentials to that channel's row. */
export function channelCredentialsContext(channelId: string): string {
  return `channel:${channelId}`;
}

/** The context for our OAuth client secret on one instance. */
export function mastodonAppContext(instanceUrl: string): string {
  return `mastodon-app:${instanceUrl}`;
}

/**
 * The key used outside production when none is configured. It is public (derived from a fixed
 * phrase), so it protects nothing: production refuses to start without CREDENTIALS_KEYS.
 */
export const developmentCredentialKey: CredentialKey = {
  id: 'development',
  key: createHash('sha256').update('trendcast development credentials key, not secret').digest(),
};
