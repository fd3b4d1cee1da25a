import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Role } from '../db/schema.js';
import type { SigningKeyRing } from './signing-keys.js';

export interface AccessTokenSettings {
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

export interface AccessTokenSubject {
  userId: string;
  role: Role;
  /** The refresh-token family (session) the token belongs to. */
  sessionId: string;
}

export interface IssuedAccessToken {
  token: string;
  tokenId: string;
  expiresIn: number;
}

/** Signs short-lived access tokens with the ring's active key, naming it in the `kid` header. */
export class AccessTokenIssuer {
  constructor(
    private readonly keys: SigningKeyRing,
    private readonly settings: AccessTokenSettings,
  ) {}

  async issue(subject: AccessTokenSubject, now: Date = new Date()): Promise<IssuedAccessToken> {
    const issuedAt = Math.floor(now.getTime() / 1000);
    const tokenId = randomUUID();
    const { kid, privateKey } = this.keys.active;
    const token = await new SignJWT({ role: subject.role, sid: subject.sessionId })
      .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt' })
      .setSubject(subject.userId)
      .setJti(tokenId)
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + this.settings.ttlSeconds)
      .sign(privateKey);
    return { token, tokenId, expiresIn: this.settings.ttlSeconds };
  }
}
