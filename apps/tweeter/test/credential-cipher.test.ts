import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { channelCredentialsContext, CredentialCipher, CredentialDecryptError } from '../src/security/credential-cipher.js';
import { parseCredentialKeyring } from '../src/security/credential-keys.js';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };
const secret = JSON.stringify({ instanceUrl: 'https://social.example', accessToken: 'ZA-Yj3aBD8U8Cm7lKUp-lm9O9BmDgdhHzDeqsY8tlL0' });
const channelA = channelCredentialsContext('5b0c8d4e-0000-4000-8000-00000000000a');
const channelB = channelCredentialsContext('5b0c8d4e-0000-4000-8000-00000000000b');

/** Flips one bit of one dot-separated part of a sealed value. */
function flip(sealed: string, part: number, byte = 0): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[part] ?? '', 'base64url');
  bytes[byte] = (bytes[byte] ?? 0) ^ 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('credential cipher', () => {
  it('when credentials are sealed and opened for the same channel, then they come back unchanged and never appear in the sealed value', () => {
    const cipher = new CredentialCipher([k1], 'k1');
    const sealed = cipher.encrypt(secret, channelA);
    expect(sealed.startsWith('v1.k1.')).toBe(true);
    expect(sealed).not.toContain('ZA-Yj3aBD8U8Cm7lKUp');
    expect(cipher.decrypt(sealed, channelA)).toBe(secret);
  });

  it('when the same credentials are sealed twice, then the IVs and ciphertexts differ', () => {
    const cipher = new CredentialCipher([k1], 'k1');
    const [a, b] = [cipher.encrypt(secret, channelA), cipher.encrypt(secret, channelA)];
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
    expect(Buffer.from(a.split('.')[2] ?? '', 'base64url')).toHaveLength(12);
    expect(a).not.toBe(b);
  });

  it('when a sealed value is copied onto another channel, then it does not decrypt', () => {
    const cipher = new CredentialCipher([k1], 'k1');
    expect(() => cipher.decrypt(cipher.encrypt(secret, channelA), channelB)).toThrow(CredentialDecryptError);
  });

  it.each([
    ['the IV', 2],
    ['the ciphertext', 3],
    ['the tag', 4],
  ])('when one bit of %s is changed, then decryption fails', (_what, part) => {
    const cipher = new CredentialCipher([k1], 'k1');
    expect(() => cipher.decrypt(flip(cipher.encrypt(secret, channelA), part), channelA)).toThrow(CredentialDecryptError);
  });

  it('when the ciphertext is cut short or relabelled with another key id, then decryption fails', () => {
    const both = new CredentialCipher([k1, k2], 'k1');
    const sealed = both.encrypt(secret, channelA);
    const parts = sealed.split('.');
    expect(() => both.decrypt([parts[0], parts[1], parts[2], parts[3]?.slice(0, -4), parts[4]].join('.'), channelA)).toThrow(CredentialDecryptError);
    expect(() => both.decrypt(sealed.replace('v1.k1.', 'v1.k2.'), channelA)).toThrow(CredentialDecryptError);
    expect(() => both.decrypt('not sealed at all', channelA)).toThrow(CredentialDecryptError);
  });

  it('when keys rotate, then old values still open, new ones use the new key, and the old key can then be retired', () => {
    const before = new CredentialCipher([k1], 'k1');
    const old = before.encrypt(secret, channelA);

    const during = new CredentialCipher([k2, k1], 'k2');
    expect(during.decrypt(old, channelA)).toBe(secret);
    expect(during.needsReencryption(old)).toBe(true);
    const rewrapped = during.encrypt(during.decrypt(old, channelA), channelA);
    expect(during.keyIdOf(rewrapped)).toBe('k2');
    expect(during.needsReencryption(rewrapped)).toBe(false);

    const after = new CredentialCipher([k2], 'k2');
    expect(after.decrypt(rewrapped, channelA)).toBe(secret);
    const error = (() => {
      try {
        after.decrypt(old, channelA);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(CredentialDecryptError);
    expect(error?.message).toContain('"k1" is not configured');
  });

  it('when a value was sealed with another key of the same id, then decryption fails', () => {
    const sealed = new CredentialCipher([k1], 'k1').encrypt(secret, channelA);
    const impostor = new CredentialCipher([{ id: 'k1', key: randomBytes(32) }], 'k1');
    expect(() => impostor.decrypt(sealed, channelA)).toThrow(CredentialDecryptError);
  });

  it('when keys are misconfigured, then the cipher refuses to start', () => {
    expect(() => new CredentialCipher([{ id: 'k1', key: randomBytes(16) }], 'k1')).toThrow(/32 bytes/);
    expect(() => new CredentialCipher([k1], 'k9')).toThrow(/not among/);
    expect(() => new CredentialCipher([k1, { ...k2, id: 'k1' }], 'k1')).toThrow(/twice/);
    expect(() => new CredentialCipher([{ id: 'bad.id', key: randomBytes(32) }], 'bad.id')).toThrow(/letters/);
  });
});

describe('credential keyring from configuration', () => {
  const keyText = (bytes: Buffer) => bytes.toString('base64');

  it('when one key is configured, then it is the active one', () => {
    const ring = parseCredentialKeyring({ keysJson: JSON.stringify([{ id: 'k1', key: keyText(k1.key) }]), production: true });
    expect(ring).toMatchObject({ activeKeyId: 'k1', usingDevelopmentKey: false });
    expect(ring.keys[0]?.key.equals(k1.key)).toBe(true);
  });

  it('when several keys are configured without an active id, then it refuses', () => {
    const json = JSON.stringify([{ id: 'k1', key: keyText(k1.key) }, { id: 'k2', key: keyText(k2.key) }]);
    expect(() => parseCredentialKeyring({ keysJson: json, production: true })).toThrow(/CREDENTIALS_ACTIVE_KEY_ID is required/);
    expect(parseCredentialKeyring({ keysJson: json, activeKeyId: 'k2', production: true }).activeKeyId).toBe('k2');
  });

  it('when a key is the wrong size, then the error names the place but not the key material', () => {
    const short = randomBytes(16).toString('base64');
    let message = '';
    try {
      parseCredentialKeyring({ keysJson: JSON.stringify([{ id: 'k1', key: short }]), production: true });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('32 bytes');
    expect(message).not.toContain(short);
  });

  it('when no keys are configured, then production refuses and development uses the public development key', () => {
    expect(() => parseCredentialKeyring({ production: true })).toThrow(/required in production/);
    expect(parseCredentialKeyring({ production: false })).toMatchObject({ activeKeyId: 'development', usingDevelopmentKey: true });
  });
});
