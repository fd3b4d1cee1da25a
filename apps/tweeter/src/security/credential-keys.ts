import { z } from 'zod';
import { developmentCredentialKey, keyIdPattern, type CredentialKey } from './credential-cipher.js';

const keyListSchema = z
  .array(
    z.object({
      id: z.string().regex(keyIdPattern, 'a key id may only hold letters, digits, _ and - (at most 64)'),
      key: z
        .string()
        .transform((value) => Buffer.from(value, 'base64'))
        .refine((key) => key.length === 32, 'must be 32 bytes in base64 (openssl rand -base64 32)'),
    }),
  )
  .min(1, 'must list at least one key')
  .refine((keys) => new Set(keys.map((k) => k.id)).size === keys.length, 'key ids must be unique');

export interface CredentialKeyring {
  keys: CredentialKey[];
  activeKeyId: string;
  /** True when the public development key is in use (no CREDENTIALS_KEYS outside production). */
  usingDevelopmentKey: boolean;
}

/** The key list in CREDENTIALS_KEYS (`[{"id":"k2","key":"<base64 of 32 bytes>"},…]`); errors never echo key material. */
export function parseCredentialKeyList(keysJson: string): CredentialKey[] {
  let raw: unknown;
  try {
    raw = JSON.parse(keysJson);
  } catch {
    throw new Error('is not valid JSON');
  }
  const parsed = keyListSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${issue?.path.length ? `(at ${issue.path.join('.')}) ` : ''}${issue?.message ?? 'is invalid'}`);
  }
  return parsed.data;
}

/**
 * The keyring from CREDENTIALS_KEYS and CREDENTIALS_ACTIVE_KEY_ID (needed when several keys are
 * listed); outside production, without keys, the public development key.
 */
export function parseCredentialKeyring(input: { keysJson?: string; keys?: CredentialKey[]; activeKeyId?: string; production: boolean }): CredentialKeyring {
  let keys = input.keys;
  if (!keys && input.keysJson) {
    try {
      keys = parseCredentialKeyList(input.keysJson);
    } catch (error) {
      throw new Error(`CREDENTIALS_KEYS ${(error as Error).message}`);
    }
  }
  if (!keys) {
    if (input.production) throw new Error('CREDENTIALS_KEYS is required in production');
    return { keys: [developmentCredentialKey], activeKeyId: developmentCredentialKey.id, usingDevelopmentKey: true };
  }
  const activeKeyId = input.activeKeyId ?? (keys.length === 1 ? keys[0]?.id : undefined);
  if (!activeKeyId) throw new Error('CREDENTIALS_ACTIVE_KEY_ID is required when CREDENTIALS_KEYS lists several keys');
  if (!keys.some((k) => k.id === activeKeyId)) throw new Error(`CREDENTIALS_ACTIVE_KEY_ID "${activeKeyId}" is not among CREDENTIALS_KEYS`);
  return { keys, activeKeyId, usingDevelopmentKey: false };
}
